module kilntrace

go 1.22

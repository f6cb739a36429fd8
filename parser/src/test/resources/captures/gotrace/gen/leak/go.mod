module gleak

go 1.22

module g10k

go 1.22

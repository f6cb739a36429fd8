module httpload
go 1.22

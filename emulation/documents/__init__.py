"""Documents the council issues, in the format of Decree 30/2020/NĐ-CP."""

"""The support directory: where a doctor can go for help, and when it is open."""

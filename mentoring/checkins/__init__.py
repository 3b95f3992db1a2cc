"""Anonymous WHO-5 well-being check-ins, unlinkable to the person who made them."""

"""Working groups, their seats and the members who hold them."""

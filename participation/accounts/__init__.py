"""People: accounts, registration, login, roles, sectors and organisations."""

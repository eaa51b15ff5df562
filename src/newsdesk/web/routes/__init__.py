"""The reader's routes, one module per page family; each route is thin over the service."""

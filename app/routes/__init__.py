"""HTTP only: parse, call a service, shape the response. Rules live in ``app.services``."""

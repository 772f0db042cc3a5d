"""One module per page; each has `setup(app)` and is listed once in console/app.py."""

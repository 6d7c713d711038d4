"""The network room: the ownership and control graph and the regimes' rules over it.

``graph.py`` holds the graph, ``rules.py`` decides who is blocked under each regime (data in
``data/regimes.yml``), ``csvfile.py`` reads a user's ownership file and ``list_edges.py`` takes the
edges the lists state. Storing and auditing an import is the cases room's (``cases/ownership_book.py``).
"""

"""Analysis algorithms: pure functions over NetworkX graphs (no driver, no Flask).

They call NetworkX functions, so NetworkX's backend dispatch applies: with a
backend such as nx-cugraph installed and ``NETWORKX_BACKEND_PRIORITY=cugraph``
(or ``nx.config.backend_priority``) set, PageRank and connected components run
there unchanged.
"""

"""Analysis algorithms: pure functions over NetworkX graphs (no driver, no Flask).

They call NetworkX functions, so NetworkX's backend dispatch applies: with a
backend such as nx-cugraph installed and ``NETWORKX_BACKEND_PRIORITY=cugraph``
(or ``nx.config.backend_priority``) set, PageRank and the cycle search run
there unchanged.  Connected components (rings, and the strongly connected
parts that can hold a cycle) use scipy's compiled routines on the CPU
(:mod:`.sparse`): NetworkX's own were twenty times slower at 1M members.
"""

# This file lists the cluster layer's sources: transport and protocol
# (socket helpers, wire format, socket transport, handshake, input cache),
# which the tests reuse as WEFT_NET_SOURCES to build the layer on its own,
# and the scheduler (start-up, coordinator, worker).
set(WEFT_NET_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/net.c
  ${CMAKE_CURRENT_LIST_DIR}/wire.c
  ${CMAKE_CURRENT_LIST_DIR}/transport_sock.c
  ${CMAKE_CURRENT_LIST_DIR}/handshake.c
  ${CMAKE_CURRENT_LIST_DIR}/cache.c)
# The cluster scheduler needs the rest of the runtime (teams, loops), so it
# joins libweft only, not the stand-alone net test library.
set(WEFT_CLUSTER_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/cluster.c
  ${CMAKE_CURRENT_LIST_DIR}/coord.c
  ${CMAKE_CURRENT_LIST_DIR}/worker.c)
list(APPEND WEFT_RUNTIME_SOURCES ${WEFT_NET_SOURCES} ${WEFT_CLUSTER_SOURCES})

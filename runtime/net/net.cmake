# This file lists the cluster layer's transport and protocol sources: socket
# helpers, wire format, socket transport, handshake and input cache. The
# tests reuse WEFT_NET_SOURCES to build the layer on its own.
set(WEFT_NET_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/net.c
  ${CMAKE_CURRENT_LIST_DIR}/wire.c
  ${CMAKE_CURRENT_LIST_DIR}/transport_sock.c
  ${CMAKE_CURRENT_LIST_DIR}/handshake.c
  ${CMAKE_CURRENT_LIST_DIR}/cache.c)
list(APPEND WEFT_RUNTIME_SOURCES ${WEFT_NET_SOURCES})

/* This file handles the helper process of the handshake tests (libuv's
 * HELPER_IMPL idea): a separate executable, hence a different build id,
 * that joins a coordinator on 127.0.0.1 as a worker. The test binary also
 * re-runs itself in this role (same binary, same build id) through
 * nt_helper_main(). Usage: net_helper join PORT SECRET; the exit status is
 * the handshake's -rc (0 on success). */
#include "net_helper.h"

int main(int argc, char **argv) {
    return nt_helper_main(argc, argv);
}

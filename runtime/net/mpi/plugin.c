/* This file handles libweft-mpi.so, the MPI plugin: a thin layer over
 * standard MPI-3 calls (so it builds against Open MPI and MPICH alike)
 * that fills the table of runtime/net/mpi/plugin.h. It keeps no state of
 * its own besides that table and the library version string; every handle
 * it hands out is a small heap box around an MPI handle, owned as the
 * table's comments say. Thread safety is MPI's: weft initialises MPI with
 * MPI_THREAD_MULTIPLE, or checks that the program did. */
#include <limits.h>
#include <mpi.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/mpi/plugin.h"

#define EXPORT __attribute__((visibility("default")))
/* Largest piece one MPI_Bcast moves (counts are ints). */
#define BCAST_PIECE ((size_t)64 << 20)

struct weft__mpi_comm {
    MPI_Comm comm;
};
struct weft__mpi_req {
    MPI_Request req;
};
struct weft__mpi_msg {
    MPI_Message msg;
};

static int to_mpi_level(int w) {
    switch (w) {
    case WEFT__MPI_THREAD_SINGLE:
        return MPI_THREAD_SINGLE;
    case WEFT__MPI_THREAD_FUNNELED:
        return MPI_THREAD_FUNNELED;
    case WEFT__MPI_THREAD_SERIALIZED:
        return MPI_THREAD_SERIALIZED;
    default:
        return MPI_THREAD_MULTIPLE;
    }
}

static int from_mpi_level(int m) {
    if (m == MPI_THREAD_MULTIPLE)
        return WEFT__MPI_THREAD_MULTIPLE;
    if (m == MPI_THREAD_SERIALIZED)
        return WEFT__MPI_THREAD_SERIALIZED;
    if (m == MPI_THREAD_FUNNELED)
        return WEFT__MPI_THREAD_FUNNELED;
    return WEFT__MPI_THREAD_SINGLE;
}

static int p_init_thread(int want, int *provided) {
    int got = MPI_THREAD_SINGLE;
    int rc = MPI_Init_thread(NULL, NULL, to_mpi_level(want), &got);
    *provided = from_mpi_level(got);
    return rc;
}

static int p_initialized(void) {
    int flag = 0;
    MPI_Initialized(&flag);
    return flag != 0;
}

static int p_finalized(void) {
    int flag = 0;
    MPI_Finalized(&flag);
    return flag != 0;
}

static int p_query_thread(void) {
    int got = MPI_THREAD_SINGLE;
    MPI_Query_thread(&got);
    return from_mpi_level(got);
}

static int p_comm_dup_world(struct weft__mpi_comm **out) {
    struct weft__mpi_comm *c = malloc(sizeof *c);
    if (!c)
        return MPI_ERR_NO_MEM;
    int rc = MPI_Comm_dup(MPI_COMM_WORLD, &c->comm);
    if (rc == MPI_SUCCESS)
        rc = MPI_Comm_set_errhandler(c->comm, MPI_ERRORS_RETURN);
    if (rc != MPI_SUCCESS) {
        free(c);
        return rc;
    }
    *out = c;
    return 0;
}

static void p_comm_free(struct weft__mpi_comm *c) {
    if (!c)
        return;
    MPI_Comm_free(&c->comm);
    free(c);
}

static int p_comm_rank(const struct weft__mpi_comm *c) {
    int r = -1;
    MPI_Comm_rank(c->comm, &r);
    return r;
}

static int p_comm_size(const struct weft__mpi_comm *c) {
    int n = 0;
    MPI_Comm_size(c->comm, &n);
    return n;
}

static int p_isend(struct weft__mpi_comm *c, const void *buf, size_t len,
                   int peer, int tag, struct weft__mpi_req **out) {
    if (len > INT_MAX)
        return MPI_ERR_COUNT;
    struct weft__mpi_req *r = malloc(sizeof *r);
    if (!r)
        return MPI_ERR_NO_MEM;
    int rc = MPI_Isend(buf, (int)len, MPI_BYTE, peer, tag, c->comm, &r->req);
    if (rc != MPI_SUCCESS) {
        free(r);
        return rc;
    }
    *out = r;
    return 0;
}

static int p_test(struct weft__mpi_req *r, int *done) {
    int flag = 0;
    int rc = MPI_Test(&r->req, &flag, MPI_STATUS_IGNORE);
    *done = flag != 0;
    if (rc == MPI_SUCCESS && flag)
        free(r);
    return rc;
}

static void p_cancel(struct weft__mpi_req *r) {
    if (!r)
        return;
    MPI_Cancel(&r->req);
    MPI_Request_free(&r->req);
    free(r);
}

static int p_improbe(struct weft__mpi_comm *c, int peer, int tag, int *found,
                     size_t *len, struct weft__mpi_msg **msg) {
    int flag = 0;
    MPI_Message m;
    MPI_Status st;
    int rc = MPI_Improbe(peer, tag, c->comm, &flag, &m, &st);
    *found = 0;
    if (rc != MPI_SUCCESS || !flag)
        return rc;
    int count = 0;
    rc = MPI_Get_count(&st, MPI_BYTE, &count);
    if (rc != MPI_SUCCESS)
        return rc;
    struct weft__mpi_msg *box = malloc(sizeof *box);
    if (!box)
        return MPI_ERR_NO_MEM;
    box->msg = m;
    *msg = box;
    *len = (size_t)count;
    *found = 1;
    return 0;
}

static int p_imrecv(struct weft__mpi_msg *msg, void *buf, size_t len,
                    struct weft__mpi_req **out) {
    struct weft__mpi_req *r = malloc(sizeof *r);
    int rc;
    if (!r) {
        rc = MPI_ERR_NO_MEM;
    } else {
        rc = MPI_Imrecv(buf, (int)len, MPI_BYTE, &msg->msg, &r->req);
        if (rc == MPI_SUCCESS)
            *out = r;
        else
            free(r);
    }
    free(msg);
    return rc;
}

static int p_bcast(struct weft__mpi_comm *c, void *buf, size_t len, int root) {
    for (size_t off = 0; off < len; off += BCAST_PIECE) {
        size_t n = len - off < BCAST_PIECE ? len - off : BCAST_PIECE;
        int rc = MPI_Bcast((char *)buf + off, (int)n, MPI_BYTE, root, c->comm);
        if (rc != MPI_SUCCESS)
            return rc;
    }
    return 0;
}

static void p_abort(struct weft__mpi_comm *c, int code) {
    MPI_Abort(c ? c->comm : MPI_COMM_WORLD, code);
}

static int p_finalize(void) { return MPI_Finalize(); }

static const char *p_error_string(int code, char *buf, size_t len) {
    char s[MPI_MAX_ERROR_STRING];
    int n = 0;
    if (MPI_Error_string(code, s, &n) != MPI_SUCCESS)
        snprintf(s, sizeof s, "MPI error %d", code);
    snprintf(buf, len, "%s", s);
    return buf;
}

static const char *p_library(void) {
    static char v[MPI_MAX_LIBRARY_VERSION_STRING];
    int n = 0;
    if (!v[0] && MPI_Get_library_version(v, &n) == MPI_SUCCESS)
        v[strcspn(v, "\n,")] = 0;
    return v;
}

static const struct weft__mpi_ops ops = {
    .abi_version = WEFT__MPI_PLUGIN_ABI,
    .init_thread = p_init_thread,
    .initialized = p_initialized,
    .finalized = p_finalized,
    .query_thread = p_query_thread,
    .comm_dup_world = p_comm_dup_world,
    .comm_free = p_comm_free,
    .comm_rank = p_comm_rank,
    .comm_size = p_comm_size,
    .isend = p_isend,
    .test = p_test,
    .cancel = p_cancel,
    .improbe = p_improbe,
    .imrecv = p_imrecv,
    .bcast = p_bcast,
    .abort = p_abort,
    .finalize = p_finalize,
    .error_string = p_error_string,
    .library = p_library,
};

EXPORT const struct weft__mpi_ops *weft_mpi_plugin(unsigned abi_version);

const struct weft__mpi_ops *weft_mpi_plugin(unsigned abi_version) {
    return abi_version == WEFT__MPI_PLUGIN_ABI ? &ops : NULL;
}

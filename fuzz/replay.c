/* This file handles the plain-C driver that runs the fuzz target over files
 * (a corpus folder, or crash files), so every build, sanitised or not,
 * replays the corpus as a regular test. With --write-seeds DIR it writes the
 * seed corpus instead: one valid frame of every message type, encoded by
 * the real encoder, plus a few hostile frames. */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "net/wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Runs one file through the target. Returns 1 if it was run, 0 if it could
 * not be read (reported). */
static int run_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return 0;
    }
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 4096;
            uint8_t *nb = realloc(buf, cap);
            if (!nb) {
                fprintf(stderr, "replay: out of memory\n");
                exit(2);
            }
            buf = nb;
        }
        size_t r = fread(buf + len, 1, cap - len, f);
        len += r;
        if (r == 0)
            break;
    }
    fclose(f);
    LLVMFuzzerTestOneInput(buf, len);
    free(buf);
    return 1;
}

static int run_path(const char *path) {
    struct stat sb;
    if (stat(path, &sb) != 0) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return 0;
    }
    if (!S_ISDIR(sb.st_mode))
        return run_file(path);
    DIR *d = opendir(path);
    if (!d)
        return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char sub[4096];
        snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
        n += run_path(sub);
    }
    closedir(d);
    return n;
}

static int write_file(const char *dir, const char *name, const uint8_t *p,
                      size_t n) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(p, 1, n, f) != n) {
        fprintf(stderr, "replay: cannot write %s\n", path);
        if (f)
            fclose(f);
        return 1;
    }
    return fclose(f) != 0;
}

/* Encodes m and writes it as DIR/name. */
static int seed(const char *dir, const char *name, const struct weft__msg *m) {
    struct weft__wbuf w = WEFT__WBUF_INITIALIZER;
    int rc = weft__wire_encode(&w, m);
    if (rc == 0)
        rc = write_file(dir, name, w.data, w.len);
    weft__wbuf_free(&w);
    return rc != 0;
}

static int write_seeds(const char *dir) {
    struct weft__msg m;
    struct weft__wbuf w = WEFT__WBUF_INITIALIZER;
    int bad = 0;
    uint8_t bytes[48];
    for (int i = 0; i < 48; i++)
        bytes[i] = (uint8_t)(i * 37);

    memset(&m, 0, sizeof m);
    m.hdr.type = WEFT__MSG_HELLO;
    m.hdr.seq = 1;
    m.u.hello.version = WEFT__WIRE_VERSION;
    m.u.hello.role = WEFT__ROLE_WORKER;
    m.u.hello.nthreads = 8;
    memcpy(m.u.hello.build_id, bytes, 32);
    memcpy(m.u.hello.nonce, bytes + 16, 32);
    m.u.hello.name = "node1";
    m.u.hello.name_len = 5;
    bad += seed(dir, "hello", &m);

    memset(&m, 0, sizeof m);
    m.hdr.type = WEFT__MSG_CHALLENGE;
    memcpy(m.u.challenge.nonce, bytes, 32);
    memcpy(m.u.challenge.mac, bytes + 8, 32);
    bad += seed(dir, "challenge", &m);
    m.hdr.type = WEFT__MSG_RESPONSE;
    memcpy(m.u.response.mac, bytes + 4, 32);
    bad += seed(dir, "response", &m);

    memset(&m, 0, sizeof m);
    m.hdr.type = WEFT__MSG_WELCOME;
    m.u.welcome.node_id = 2;
    m.u.welcome.heartbeat_ms = 500;
    bad += seed(dir, "welcome", &m);

    memset(&m, 0, sizeof m);
    m.hdr.type = WEFT__MSG_REJECT;
    m.u.reject.reason = WEFT__REJECT_AUTH;
    m.u.reject.text = "wrong cluster secret";
    m.u.reject.text_len = 20;
    bad += seed(dir, "reject", &m);

    struct weft__input_ref refs[2] = {{{1, 2}, 48}, {{3, 4}, 0}};
    struct weft__chunk_req_src rq;
    memset(&rq, 0, sizeof rq);
    rq.m.loop_id = 1;
    rq.m.body_index = 0;
    rq.m.chunk_id = 9;
    rq.m.lo = 64;
    rq.m.hi = 128;
    rq.m.data = bytes;
    rq.m.data_len = 16;
    rq.refs = refs;
    rq.nrefs = 2;
    bad += weft__wire_encode_chunk_req(&w, 3, &rq) != 0;
    bad += write_file(dir, "chunk_req", w.data, w.len);

    struct weft__section secs[2] = {{0, 512, 24, bytes}, {1, 0, 8, bytes}};
    struct weft__chunk_result_src rs;
    memset(&rs, 0, sizeof rs);
    rs.m.loop_id = 1;
    rs.m.chunk_id = 9;
    rs.m.run_ns = 2000000;
    rs.m.red = bytes + 40;
    rs.m.red_len = 8;
    rs.secs = secs;
    rs.nsecs = 2;
    weft__wbuf_reset(&w);
    bad += weft__wire_encode_chunk_result(&w, 3, &rs) != 0;
    bad += write_file(dir, "chunk_result", w.data, w.len);
    /* The same result cut short, and with its section count inflated. */
    bad += write_file(dir, "chunk_result_cut", w.data, w.len - 9);
    w.data[WEFT__WIRE_HDR_LEN + 24] = 0xff;
    bad += write_file(dir, "chunk_result_count", w.data, w.len);

    memset(&m, 0, sizeof m);
    m.hdr.type = WEFT__MSG_INPUT;
    m.u.input.hash.lo = 77;
    m.u.input.total_len = 100;
    m.u.input.offset = 52;
    m.u.input.len = 48;
    m.u.input.bytes = bytes;
    bad += seed(dir, "input", &m);

    weft__wbuf_reset(&w);
    bad += weft__wire_encode_hashlist(&w, WEFT__MSG_HAVE, 4, refs, 2) != 0;
    bad += write_file(dir, "have", w.data, w.len);
    weft__wbuf_reset(&w);
    bad += weft__wire_encode_hashlist(&w, WEFT__MSG_NEED, 4, refs, 1) != 0;
    bad += write_file(dir, "need", w.data, w.len);

    memset(&m, 0, sizeof m);
    m.hdr.type = WEFT__MSG_HEARTBEAT;
    m.u.heartbeat.time_ns = 123456789;
    m.u.heartbeat.inflight = 2;
    bad += seed(dir, "heartbeat", &m);
    memset(&m, 0, sizeof m);
    m.hdr.type = WEFT__MSG_BYE;
    bad += seed(dir, "bye", &m);
    memset(&m, 0, sizeof m);
    m.hdr.type = WEFT__MSG_ERROR;
    m.u.error.code = 12;
    m.u.error.ref = 9;
    m.u.error.text = "chunk failed";
    m.u.error.text_len = 12;
    bad += seed(dir, "error", &m);
    weft__wbuf_free(&w);
    return bad ? 1 : 0;
}

int main(int argc, char **argv) {
    if (argc == 3 && strcmp(argv[1], "--write-seeds") == 0)
        return write_seeds(argv[2]);
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE|DIR...  |  --write-seeds DIR\n",
                argv[0]);
        return 2;
    }
    int n = 0;
    for (int i = 1; i < argc; i++)
        n += run_path(argv[i]);
    printf("replayed %d input(s) through the wire decoder\n", n);
    return n > 0 ? 0 : 1;
}

/* This file handles the handshake that admits a worker into a cluster, and
 * the build-id hash it compares. The exchange (W = worker, C = coordinator):
 *
 *   W -> C  HELLO     {version, role W, nthreads, build id, nonce_w, name}
 *   C -> W  CHALLENGE {nonce_c, mac_c}
 *   W -> C  RESPONSE  {mac_w}
 *   C -> W  WELCOME   {node id, heartbeat}
 *
 * with mac_X = HMAC-SHA256(secret, "weft-hs1" || X || version || build id
 * || nonce_w || nonce_c), X the prover's role byte. Each proof covers both
 * fresh nonces, so a recorded proof is useless later; the role byte keeps
 * a proof from being reflected back to its author as the other side's.
 * Either side sends REJECT {reason} instead of its next message when a
 * check fails. Proofs are compared in constant time (sodium_memcmp). One
 * absolute deadline bounds every read and write, so a peer that stalls or
 * trickles bytes cannot hold a connection slot for longer than timeout_ms;
 * frames larger than WEFT__WIRE_HS_MAX_FRAME are refused before
 * allocating. This authenticates the endpoints at connection time only:
 * later frames carry no MAC (see docs), as the design asks. */
#include "net/handshake.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAC_LABEL "weft-hs1"

/* ------------------------------------------------------------------ */
/* Build id                                                           */
/* ------------------------------------------------------------------ */

/* What the dl_iterate_phdr callback collects. Notes are copied out because
 * the callback must not keep pointers past its return. */
struct bid_scan {
    uintptr_t self_addr; /* an address inside libweft's code */
    uint8_t exe[64];
    size_t exe_len;
    uint8_t lib[64];
    size_t lib_len;
    int lib_is_exe; /* libweft is linked statically into the executable */
};

/* Finds an NT_GNU_BUILD_ID note in the PT_NOTE segments of one object and
 * copies its descriptor (at most 64 bytes) into out. Notes come from the
 * loaded image of our own process, yet every size is still checked
 * against the segment so a malformed note cannot make us read beyond it. */
static size_t find_note(const struct dl_phdr_info *info, uint8_t out[64]) {
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_NOTE)
            continue;
        const uint8_t *p = (const uint8_t *)(info->dlpi_addr + ph->p_vaddr);
        size_t left = ph->p_memsz;
        while (left >= sizeof(ElfW(Nhdr))) {
            ElfW(Nhdr) nh;
            memcpy(&nh, p, sizeof nh);
            size_t namesz = ((size_t)nh.n_namesz + 3) & ~(size_t)3;
            size_t descsz = ((size_t)nh.n_descsz + 3) & ~(size_t)3;
            size_t body = left - sizeof nh;
            if (namesz > body || descsz > body - namesz)
                break;
            const uint8_t *name = p + sizeof nh;
            const uint8_t *desc = name + namesz;
            if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 &&
                memcmp(name, "GNU", 4) == 0 && nh.n_descsz > 0 &&
                nh.n_descsz <= 64) {
                memcpy(out, desc, nh.n_descsz);
                return nh.n_descsz;
            }
            p += sizeof nh + namesz + descsz;
            left = body - namesz - descsz;
        }
    }
    return 0;
}

/* Non-zero if addr lies in one of the object's loaded segments. */
static int contains(const struct dl_phdr_info *info, uintptr_t addr) {
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        uintptr_t lo = info->dlpi_addr + ph->p_vaddr;
        if (ph->p_type == PT_LOAD && addr >= lo && addr - lo < ph->p_memsz)
            return 1;
    }
    return 0;
}

static int scan_cb(struct dl_phdr_info *info, size_t size, void *arg) {
    struct bid_scan *s = arg;
    (void)size;
    /* The first object dl_iterate_phdr reports is the main program. */
    int first = s->exe_len == (size_t)-1;
    if (first)
        s->exe_len = find_note(info, s->exe);
    if (contains(info, s->self_addr)) {
        s->lib_is_exe = first;
        if (!first)
            s->lib_len = find_note(info, s->lib);
        return 1; /* nothing after libweft matters */
    }
    return 0;
}

/* Hashes the bytes of /proc/self/exe into st. Returns 0 or -errno. */
static int hash_exe_file(crypto_generichash_state *st) {
    int rc = 0, fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    uint8_t *buf = malloc(1 << 16);
    if (!buf) {
        rc = -ENOMEM;
        goto out;
    }
    for (;;) {
        ssize_t r = read(fd, buf, 1 << 16);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            rc = -errno;
            goto out;
        }
        if (r == 0)
            break;
        crypto_generichash_update(st, buf, (unsigned long long)r);
    }
out:
    free(buf);
    close(fd);
    return rc;
}

static uint8_t bid_value[WEFT__WIRE_BUILD_ID_LEN];
static int bid_rc;
static pthread_once_t bid_once = PTHREAD_ONCE_INIT;

static void bid_compute(void) {
    struct bid_scan s = {0};
    crypto_generichash_state st;
    s.self_addr = (uintptr_t)&bid_compute;
    s.exe_len = (size_t)-1;
    if (sodium_init() < 0) {
        bid_rc = -EIO;
        return;
    }
    dl_iterate_phdr(scan_cb, &s);
    if (s.exe_len == (size_t)-1)
        s.exe_len = 0;
    crypto_generichash_init(&st, NULL, 0, sizeof bid_value);
    crypto_generichash_update(&st, (const uint8_t *)"weft-build-id-v1", 16);
    uint8_t len8[2] = {(uint8_t)s.exe_len, (uint8_t)s.lib_len};
    crypto_generichash_update(&st, len8, 2);
    if (s.exe_len > 0) {
        crypto_generichash_update(&st, s.exe, s.exe_len);
    } else {
        bid_rc = hash_exe_file(&st);
        if (bid_rc != 0)
            return;
    }
    crypto_generichash_update(&st, s.lib, s.lib_len);
    crypto_generichash_final(&st, bid_value, sizeof bid_value);
}

int weft__build_id(uint8_t out[WEFT__WIRE_BUILD_ID_LEN]) {
    pthread_once(&bid_once, bid_compute);
    if (bid_rc == 0)
        memcpy(out, bid_value, sizeof bid_value);
    return bid_rc;
}

/* ------------------------------------------------------------------ */
/* Secret file                                                        */
/* ------------------------------------------------------------------ */

int weft__hs_secret_read_file(const char *path, uint8_t **out, size_t *len) {
    int rc = 0, fd = -1;
    uint8_t *buf = NULL;
    size_t n = 0;
    struct stat sb;
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        rc = -errno;
        goto out;
    }
    if (fstat(fd, &sb) != 0) {
        rc = -errno;
        goto out;
    }
    if (!S_ISREG(sb.st_mode) || (sb.st_mode & (S_IRWXG | S_IRWXO))) {
        rc = -EPERM;
        goto out;
    }
    /* One extra byte so a file over the limit is seen as such. */
    buf = malloc(WEFT__HS_SECRET_MAX + 2);
    if (!buf) {
        rc = -ENOMEM;
        goto out;
    }
    while (n < WEFT__HS_SECRET_MAX + 2) {
        ssize_t r = read(fd, buf + n, WEFT__HS_SECRET_MAX + 2 - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            rc = -errno;
            goto out;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    if (n > 0 && buf[n - 1] == '\n')
        n--;
    if (n > 0 && buf[n - 1] == '\r')
        n--;
    if (n > WEFT__HS_SECRET_MAX) {
        rc = -EMSGSIZE;
        goto out;
    }
    if (n < WEFT__HS_SECRET_MIN) {
        rc = -EINVAL;
        goto out;
    }
    *out = buf;
    *len = n;
    buf = NULL;
out:
    if (buf) {
        sodium_memzero(buf, WEFT__HS_SECRET_MAX + 2);
        free(buf);
    }
    if (fd >= 0)
        close(fd);
    return rc;
}

void weft__hs_secret_free(uint8_t *secret, size_t len) {
    if (!secret)
        return;
    /* The buffer is WEFT__HS_SECRET_MAX + 2 bytes whatever len is. */
    (void)len;
    sodium_memzero(secret, WEFT__HS_SECRET_MAX + 2);
    free(secret);
}

/* ------------------------------------------------------------------ */
/* Exchange                                                           */
/* ------------------------------------------------------------------ */

/* State shared by both sides' steps. */
struct hs {
    struct weft__transport *t;
    const struct weft__hs_config *cfg;
    struct weft__hs_peer *peer;
    int64_t deadline;
    uint8_t build_id[WEFT__WIRE_BUILD_ID_LEN];
    uint8_t nonce_w[WEFT__WIRE_NONCE_LEN];
    uint8_t nonce_c[WEFT__WIRE_NONCE_LEN];
    struct weft__frame frame; /* last received; freed by the next recv */
    struct weft__msg msg;
};

/* Proof of role `role` over this exchange. */
static void make_mac(const struct hs *h, uint8_t role,
                     uint8_t mac[WEFT__WIRE_MAC_LEN]) {
    crypto_auth_hmacsha256_state st;
    uint8_t head[sizeof MAC_LABEL - 1 + 3];
    memcpy(head, MAC_LABEL, sizeof MAC_LABEL - 1);
    head[sizeof MAC_LABEL - 1] = role;
    head[sizeof MAC_LABEL] = (uint8_t)WEFT__WIRE_VERSION;
    head[sizeof MAC_LABEL + 1] = (uint8_t)(WEFT__WIRE_VERSION >> 8);
    crypto_auth_hmacsha256_init(&st, h->cfg->secret, h->cfg->secret_len);
    crypto_auth_hmacsha256_update(&st, head, sizeof head);
    crypto_auth_hmacsha256_update(&st, h->build_id, sizeof h->build_id);
    crypto_auth_hmacsha256_update(&st, h->nonce_w, sizeof h->nonce_w);
    crypto_auth_hmacsha256_update(&st, h->nonce_c, sizeof h->nonce_c);
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_memzero(&st, sizeof st);
}

/* Non-zero when `got` is the proof of `role`; constant time. */
static int check_mac(const struct hs *h, uint8_t role,
                     const uint8_t got[WEFT__WIRE_MAC_LEN]) {
    uint8_t want[WEFT__WIRE_MAC_LEN];
    make_mac(h, role, want);
    int ok = sodium_memcmp(want, got, sizeof want) == 0;
    sodium_memzero(want, sizeof want);
    return ok;
}

static int send_msg(struct hs *h, struct weft__msg *m, int64_t deadline) {
    struct weft__wbuf w = WEFT__WBUF_INITIALIZER;
    int rc = weft__wire_encode(&w, m);
    if (rc == 0)
        rc = weft__transport_send(h->t, w.data, w.len, deadline);
    weft__wbuf_free(&w);
    return rc;
}

/* Records why the handshake failed and, best effort, tells the peer.
 * The REJECT gets a short grace period of its own so that a peer that is
 * merely slow still learns the reason after our deadline passed.
 * Returns rc. */
static int fail(struct hs *h, int rc, int reason, const char *text) {
    h->peer->reject = reason;
    h->peer->reject_by_peer = 0;
    snprintf(h->peer->msg, sizeof h->peer->msg, "%s", text);
    if (reason != WEFT__REJECT_NONE) {
        struct weft__msg m;
        memset(&m, 0, sizeof m);
        m.hdr.type = WEFT__MSG_REJECT;
        m.u.reject.reason = (uint16_t)reason;
        m.u.reject.text_len = (uint16_t)strlen(text);
        m.u.reject.text = text;
        send_msg(h, &m, weft__net_deadline_ms(100));
    }
    return rc;
}

/* Error code for a REJECT reason the peer sent. */
static int reject_code(int reason) {
    switch (reason) {
    case WEFT__REJECT_VERSION:
        return -ENOTSUP;
    case WEFT__REJECT_BUILD_ID:
        return -EPERM;
    case WEFT__REJECT_AUTH:
        return -EACCES;
    case WEFT__REJECT_PROTOCOL:
    case WEFT__REJECT_ROLE:
        return -EPROTO;
    default:
        return -ECONNREFUSED;
    }
}

/* Receives the next handshake message and checks that it is `want` (or a
 * REJECT, which ends the handshake with the peer's reason). */
static int recv_msg(struct hs *h, uint16_t want) {
    weft__frame_free(&h->frame);
    int rc = weft__transport_recv(h->t, &h->frame, WEFT__WIRE_HS_MAX_FRAME,
                                  h->deadline);
    switch (rc) {
    case 0:
        break;
    case -ENOTSUP:
        return fail(h, rc, WEFT__REJECT_VERSION, "protocol version differs");
    case -EMSGSIZE:
        return fail(h, rc, WEFT__REJECT_PROTOCOL, "oversized handshake frame");
    case -EPROTO:
        return fail(h, rc, WEFT__REJECT_PROTOCOL, "not a weft frame");
    case -ETIMEDOUT:
        return fail(h, rc, WEFT__REJECT_NONE, "handshake timed out");
    default:
        snprintf(h->peer->msg, sizeof h->peer->msg, "handshake: %s",
                 strerror(-rc));
        return rc;
    }
    rc = weft__frame_decode(&h->frame, &h->msg);
    if (rc != 0)
        return fail(h, rc, WEFT__REJECT_PROTOCOL,
                    "malformed handshake message");
    if (h->msg.hdr.type == WEFT__MSG_REJECT) {
        const struct weft__msg_reject *r = &h->msg.u.reject;
        h->peer->reject = r->reason;
        h->peer->reject_by_peer = 1;
        snprintf(h->peer->msg, sizeof h->peer->msg, "peer refused: %.*s",
                 (int)r->text_len, r->text);
        return reject_code(r->reason);
    }
    if (h->msg.hdr.type != want)
        return fail(h, -EPROTO, WEFT__REJECT_PROTOCOL,
                    "unexpected handshake message");
    return 0;
}

/* Common set-up; returns 0 or WEFT_EINVAL / -errno. */
static int hs_begin(struct hs *h, struct weft__transport *t,
                    const struct weft__hs_config *cfg,
                    struct weft__hs_peer *peer) {
    memset(h, 0, sizeof *h);
    memset(peer, 0, sizeof *peer);
    h->t = t;
    h->cfg = cfg;
    h->peer = peer;
    if (!cfg->secret || cfg->secret_len < WEFT__HS_SECRET_MIN ||
        cfg->secret_len > WEFT__HS_SECRET_MAX || cfg->timeout_ms <= 0) {
        snprintf(peer->msg, sizeof peer->msg, "bad handshake configuration");
        return -EINVAL;
    }
    if (sodium_init() < 0) {
        snprintf(peer->msg, sizeof peer->msg, "libsodium failed to start");
        return -EIO;
    }
    h->deadline = weft__net_deadline_ms(cfg->timeout_ms);
    if (cfg->build_id) {
        memcpy(h->build_id, cfg->build_id, sizeof h->build_id);
        return 0;
    }
    int rc = weft__build_id(h->build_id);
    if (rc != 0)
        snprintf(peer->msg, sizeof peer->msg, "no build id: %s", strerror(-rc));
    return rc;
}

static void hs_end(struct hs *h) {
    weft__frame_free(&h->frame);
    sodium_memzero(h->nonce_w, sizeof h->nonce_w);
    sodium_memzero(h->nonce_c, sizeof h->nonce_c);
}

int weft__hs_accept(struct weft__transport *t,
                    const struct weft__hs_config *cfg,
                    struct weft__hs_peer *peer) {
    struct hs h;
    struct weft__msg m;
    int rc = hs_begin(&h, t, cfg, peer);
    if (rc != 0)
        goto out;

    if ((rc = recv_msg(&h, WEFT__MSG_HELLO)) != 0)
        goto out;
    const struct weft__msg_hello *hello = &h.msg.u.hello;
    if (hello->version != WEFT__WIRE_VERSION) {
        rc = fail(&h, -ENOTSUP, WEFT__REJECT_VERSION,
                  "protocol version differs");
        goto out;
    }
    if (hello->role != WEFT__ROLE_WORKER) {
        rc = fail(&h, -EPROTO, WEFT__REJECT_ROLE, "expected a worker");
        goto out;
    }
    if (sodium_memcmp(hello->build_id, h.build_id, sizeof h.build_id) != 0) {
        rc = fail(&h, -EPERM, WEFT__REJECT_BUILD_ID,
                  "peer runs a different binary");
        goto out;
    }
    memcpy(h.nonce_w, hello->nonce, sizeof h.nonce_w);
    peer->nthreads = hello->nthreads;
    memcpy(peer->name, hello->name, hello->name_len);
    peer->name[hello->name_len] = '\0';

    randombytes_buf(h.nonce_c, sizeof h.nonce_c);
    memset(&m, 0, sizeof m);
    m.hdr.type = WEFT__MSG_CHALLENGE;
    memcpy(m.u.challenge.nonce, h.nonce_c, sizeof h.nonce_c);
    make_mac(&h, 'C', m.u.challenge.mac);
    if ((rc = send_msg(&h, &m, h.deadline)) != 0) {
        snprintf(peer->msg, sizeof peer->msg, "send CHALLENGE: %s",
                 strerror(-rc));
        goto out;
    }

    if ((rc = recv_msg(&h, WEFT__MSG_RESPONSE)) != 0)
        goto out;
    if (!check_mac(&h, 'W', h.msg.u.response.mac)) {
        rc = fail(&h, -EACCES, WEFT__REJECT_AUTH, "wrong cluster secret");
        goto out;
    }

    memset(&m, 0, sizeof m);
    m.hdr.type = WEFT__MSG_WELCOME;
    m.u.welcome.node_id = cfg->node_id;
    m.u.welcome.heartbeat_ms = cfg->heartbeat_ms;
    if ((rc = send_msg(&h, &m, h.deadline)) != 0)
        snprintf(peer->msg, sizeof peer->msg, "send WELCOME: %s",
                 strerror(-rc));
out:
    hs_end(&h);
    return rc;
}

int weft__hs_join(struct weft__transport *t, const struct weft__hs_config *cfg,
                  struct weft__hs_peer *peer) {
    struct hs h;
    struct weft__msg m;
    int rc = hs_begin(&h, t, cfg, peer);
    if (rc != 0)
        goto out;

    size_t name_len = cfg->name ? strlen(cfg->name) : 0;
    if (name_len > WEFT__WIRE_NAME_MAX)
        name_len = WEFT__WIRE_NAME_MAX;
    randombytes_buf(h.nonce_w, sizeof h.nonce_w);
    memset(&m, 0, sizeof m);
    m.hdr.type = WEFT__MSG_HELLO;
    m.u.hello.version = WEFT__WIRE_VERSION;
    m.u.hello.role = WEFT__ROLE_WORKER;
    m.u.hello.nthreads = cfg->nthreads;
    memcpy(m.u.hello.build_id, h.build_id, sizeof h.build_id);
    memcpy(m.u.hello.nonce, h.nonce_w, sizeof h.nonce_w);
    m.u.hello.name_len = (uint16_t)name_len;
    m.u.hello.name = cfg->name;
    if ((rc = send_msg(&h, &m, h.deadline)) != 0) {
        snprintf(peer->msg, sizeof peer->msg, "send HELLO: %s", strerror(-rc));
        goto out;
    }

    if ((rc = recv_msg(&h, WEFT__MSG_CHALLENGE)) != 0)
        goto out;
    memcpy(h.nonce_c, h.msg.u.challenge.nonce, sizeof h.nonce_c);
    if (!check_mac(&h, 'C', h.msg.u.challenge.mac)) {
        rc = fail(&h, -EACCES, WEFT__REJECT_AUTH,
                  "coordinator does not know the cluster secret");
        goto out;
    }

    memset(&m, 0, sizeof m);
    m.hdr.type = WEFT__MSG_RESPONSE;
    make_mac(&h, 'W', m.u.response.mac);
    if ((rc = send_msg(&h, &m, h.deadline)) != 0) {
        snprintf(peer->msg, sizeof peer->msg, "send RESPONSE: %s",
                 strerror(-rc));
        goto out;
    }

    if ((rc = recv_msg(&h, WEFT__MSG_WELCOME)) != 0)
        goto out;
    peer->node_id = h.msg.u.welcome.node_id;
    peer->heartbeat_ms = h.msg.u.welcome.heartbeat_ms;
out:
    hs_end(&h);
    return rc;
}

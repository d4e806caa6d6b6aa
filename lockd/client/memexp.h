/* memexp.h: the C API of the memexpd client library (lockd/client). Link -lmemexp_client.
 * Every call returns 0 on success or a negative MEMEXP_E* code; memexp_strerror() names it. */
#ifndef MEMEXP_H
#define MEMEXP_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct memexp_client memexp_client;

enum memexp_mode { MEMEXP_NL = 0, MEMEXP_CR, MEMEXP_CW, MEMEXP_PR, MEMEXP_PW, MEMEXP_EX };

/* Negated protocol error codes (docs/protocol.md), plus client-side ones. */
enum {
    MEMEXP_EWOULDBLOCK = -8,
    MEMEXP_ETIMEDOUT = -9,
    MEMEXP_ECANCELLED = -10,
    MEMEXP_EDEADLOCK = -11,
    MEMEXP_ENOTHELD = -12,
    MEMEXP_ESHUTDOWN = -15,    /* connection lost; the request may or may not have been done */
    MEMEXP_ESESSIONLOST = -16, /* the session is gone: stop using its locks */
    MEMEXP_ERECLAIM = -17,     /* the lock was lost in the server's takeover */
    MEMEXP_EINVAL = -100,
    MEMEXP_ECONNECT = -101,
};

#define MEMEXP_LVB_MAX 64

/* Connects to "IP[:PORT]", authenticates with the key file (mode 0600) and opens a session
 * for `node` with a lease of lease_ms. NULL on failure, with the reason in err. */
memexp_client* memexp_open(const char* address, const char* key_file, const char* node,
                           unsigned lease_ms, char* err, size_t errlen);
/* Closes the session cleanly (releasing its locks) and frees the client. */
void memexp_close(memexp_client*);

/* try_only != 0: fail with MEMEXP_EWOULDBLOCK instead of waiting. timeout_ms 0: no limit.
 * token and lvb/lvb_len (buffer of MEMEXP_LVB_MAX bytes; *lvb_len set to 0 when the LVB was
 * never written) may be NULL. */
int memexp_lock(memexp_client*, const char* name, int mode, int try_only, unsigned timeout_ms,
                uint64_t* token, void* lvb, size_t* lvb_len);
int memexp_convert(memexp_client*, const char* name, int mode, unsigned timeout_ms,
                   const void* lvb_in, size_t lvb_in_len, uint64_t* token);
/* lvb may be NULL; it is written only when the lock is held in PW or EX. */
int memexp_unlock(memexp_client*, const char* name, const void* lvb, size_t lvb_len);
int memexp_cancel(memexp_client*, const char* name);

/* Called on the library's thread when a lock you hold blocks another request for `mode`. */
typedef void (*memexp_blocking_fn)(void* ctx, const char* name, int mode);
void memexp_on_blocking(memexp_client*, memexp_blocking_fn, void* ctx);

/* Takeover: after a drop or a server restart the client reconnects (for up to 30 s),
 * re-opens its session and reclaims its locks; a waiting memexp_lock is sent again and
 * returns its grant later. Called on the library's thread: */
/* the session is gone for good; the locks it held are no longer yours. */
typedef void (*memexp_session_lost_fn)(void* ctx, const char* why);
void memexp_on_session_lost(memexp_client*, memexp_session_lost_fn, void* ctx);
/* back, with the session id and the NULL-terminated names of the locks not given back. */
typedef void (*memexp_reconnected_fn)(void* ctx, uint64_t session, const char* const* lost,
                                      size_t nlost);
void memexp_on_reconnected(memexp_client*, memexp_reconnected_fn, void* ctx);

const char* memexp_strerror(int code);

#ifdef __cplusplus
}
#endif

#endif

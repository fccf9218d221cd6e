// Found without pkg-config (the target must not carry `-lpq`): Debian and Ubuntu keep
// the client headers under include/postgresql, most other systems directly in include.
#if __has_include(<postgresql/libpq-fe.h>)
#include <postgresql/libpq-fe.h>
#else
#include <libpq-fe.h>
#endif

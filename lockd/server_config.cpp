#include "server_config.h"

#include "takeover/outcome.h"

namespace takeover::lockd {

ServerSettings load_settings(const SettingsSources& src) {
    ServerSettings s;
    if (!src.native_path.empty()) s.native = load_native_config(src.native_path);
    std::string ogfs_path = src.ogfs_path.empty() ? s.native.ogfs_config : src.ogfs_path;
    if (!ogfs_path.empty()) s.ogfs = load_ogfs_config(ogfs_path);
    if (!src.listen.empty()) {
        auto e = parse_endpoint(src.listen, proto::kDefaultPort);
        if (!e)
            throw Error(Outcome::not_configured,
                        "listen: expected ADDRESS[:PORT], got \"" + src.listen + "\"");
        s.listen = *e;
    } else if (s.native.listen) {
        s.listen = *s.native.listen;
    } else if (s.ogfs.lockdev) {
        s.listen = *s.ogfs.lockdev;
    }
    if (!src.statedev.empty())
        s.statedev = src.statedev;
    else if (!s.native.statedev.empty())
        s.statedev = s.native.statedev;
    else
        s.statedev = s.ogfs.cidev;
    s.key = load_key_file(src.key_file.empty() ? s.native.key_file : src.key_file);
    return s;
}

}  // namespace takeover::lockd

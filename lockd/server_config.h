// Everything memexpd runs with, merged from memexpd.conf, ogfscf.cf and the command line.
#pragma once

#include "config.h"

#include <string>

namespace takeover::lockd {

struct ServerSettings {
    Endpoint listen{"0.0.0.0", proto::kDefaultPort};
    std::string key;  // the cluster key itself
    NativeConfig native;
    OgfsConfig ogfs;
    std::string statedev;  // "": memory mode
};

struct SettingsSources {
    std::string native_path;  // "" for defaults only
    std::string ogfs_path;    // overrides native ogfs_config
    std::string listen;       // overrides both files
    std::string key_file;     // overrides native key_file
    std::string statedev;     // overrides native statedev and ogfscf.cf cidev
};

// Listen address precedence: command line, memexpd.conf `listen`, ogfscf.cf `lockdev`,
// then 0.0.0.0:15697. State device: command line, memexpd.conf `statedev`, ogfscf.cf `cidev`
// (OpenGFS's cluster information device, the small shared one), else memory mode. Throws
// Error(not_configured) with the file and line at fault.
ServerSettings load_settings(const SettingsSources&);

}  // namespace takeover::lockd

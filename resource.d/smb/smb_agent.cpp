// smb: the exported Samba share as a cluster resource. The man page; the work is in
// smb_service.cpp.
#include "smb_service.h"

#include "takeover/agent.h"

namespace takeover::agents {
namespace {

smb::Options options_of(const agent::Params& p) {
    smb::Options o;
    o.config = p.str("config");
    o.share = p.str("share");
    o.nmbd = p.flag("nmbd");
    o.credentials = p.str("credentials");
    o.start_timeout = p.seconds("start_timeout");
    o.stop_timeout = p.seconds("stop_timeout");
    return o;
}

}  // namespace

agent::Spec smb_spec() {
    using agent::ParamType;
    agent::Spec spec;
    spec.name = "smb";
    spec.shortdesc = "Samba share served on the group's address";
    spec.longdesc =
        "Starts smbd (and nmbd) with its own smb.conf, so several groups can each run an "
        "instance on one node, and reports running only while a real SMB session to the share "
        "works on the configured addresses. The config needs: interfaces = the VIP, bind "
        "interfaces only = yes, its own pid/lock/state/cache directories, and the share's path "
        "on the group's shared mount (see docs/smb.md).";
    spec.heartbeat_usage = "[config[::share]]";
    spec.parameters = {
        {.name = "config",
         .shortdesc = "smb.conf of this instance",
         .longdesc = "Absolute path; its pid directory must not be shared with another instance.",
         .default_value = smb::Options::kSambaConfig,
         .unique = true,
         .heartbeat_position = 0},
        {.name = "share",
         .shortdesc = "share the health check opens",
         .longdesc = "Default: the first share of the config that is not homes, printers, print$.",
         .heartbeat_position = 1},
        {.name = "nmbd",
         .shortdesc = "also run nmbd",
         .default_value = "no",
         .type = ParamType::boolean},
        {.name = "credentials",
         .shortdesc = "credentials file for the health check",
         .longdesc = "smbclient's format: username = ..., password = ..., domain = ... . "
                     "Default: an anonymous session (the share must allow guests)."},
        {.name = "start_timeout",
         .shortdesc = "seconds until the share must serve",
         .default_value = "20",
         .type = ParamType::integer},
        {.name = "stop_timeout",
         .shortdesc = "seconds between TERM and KILL",
         .default_value = "20",
         .type = ParamType::integer},
    };
    spec.validate = [](const agent::Params& p) { smb::validate(options_of(p)); };
    spec.start = [](const agent::Params& p) { smb::start(options_of(p)); };
    spec.stop = [](const agent::Params& p) { smb::stop(options_of(p)); };
    spec.monitor = [](const agent::Params& p) { return smb::monitor(options_of(p)); };
    return spec;
}

}  // namespace takeover::agents

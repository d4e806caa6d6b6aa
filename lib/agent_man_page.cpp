#include "takeover/agent.h"

#include <sstream>

namespace takeover::agent {
namespace {

// roff: a leading dot or quote would be read as a request; backslashes as escapes.
std::string roff(const std::string& s) {
    std::string out;
    bool line_start = true;
    for (char c : s) {
        if (line_start && (c == '.' || c == '\'')) out += "\\&";
        if (c == '\\')
            out += "\\e";
        else if (c == '-')
            out += "\\-";
        else
            out += c;
        line_start = c == '\n';
    }
    return out;
}

}  // namespace

std::string man_page_name(const std::string& agent) {
    return "takeover-" + agent;
}

std::string man_page(const Spec& spec) {
    std::ostringstream m;
    m << ".TH " << roff(man_page_name(spec.name)) << " 8 \"\" \"takeover " << roff(spec.version)
      << "\" \"Resource agents\"\n"
      << ".SH NAME\n"
      << roff(spec.name) << " \\- " << roff(spec.shortdesc) << "\n"
      << ".SH SYNOPSIS\n"
      << ".B " << roff(spec.name) << "\n"
      << roff(spec.heartbeat_usage) << " {start|stop|status|monitor|validate\\-all}\n.br\n"
      << ".B " << roff(spec.name) << "\n{start|stop|monitor|meta\\-data|validate\\-all"
      << (spec.promote ? "|promote|demote" : "") << (spec.notify ? "|notify" : "") << "} (OCF)\n"
      << ".SH DESCRIPTION\n"
      << roff(spec.longdesc) << "\n"
      << ".PP\nAs a heartbeat v1 resource, the arguments are the \\fB::\\fR fields of its "
         "haresources entry and the action comes last; \\fBstatus\\fR prints \\fBrunning\\fR "
         "(exit 0) or \\fBstopped\\fR (exit 3). Under Pacemaker (OCF), the parameters below "
         "come as OCF_RESKEY_\\fIname\\fR.\n"
      << ".SH PARAMETERS\n";
    for (const auto& p : spec.parameters) {
        m << ".TP\n.B " << roff(p.name);
        if (p.required) m << " (required)";
        if (!p.default_value.empty()) m << " (default: " << roff(p.default_value) << ")";
        if (p.heartbeat_position >= 0) m << " [heartbeat field " << p.heartbeat_position + 1 << "]";
        m << "\n" << roff(p.longdesc.empty() ? p.shortdesc : p.longdesc) << "\n";
    }
    m << ".SH EXIT STATUS\n"
      << "OCF: 0 success, 1 generic error, 2 bad arguments, 3 unimplemented action, "
         "4 permission, 5 not installed, 6 not configured, 7 not running"
      << (spec.promote ? ", 8 running as master, 9 failed as master" : "") << ".\n"
      << ".br\nheartbeat v1: 0 success, 1 failure or usage error, 5 not installed, "
         "6 not configured; status: 0 running, 3 stopped, 1 failed.\n";
    if (!spec.examples.empty()) {
        m << ".SH EXAMPLES\nharesources:\n.PP\n.nf\n";
        for (const auto& e : spec.examples) m << roff(e) << "\n";
        m << ".fi\n";
    }
    m << ".SH SEE ALSO\n.BR takeover (8),\n.BR ocf\\-tester (8)\n";
    return m.str();
}

}  // namespace takeover::agent

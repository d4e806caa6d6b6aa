#include "takeover/agent.h"

#include <sstream>

namespace takeover::agent {
namespace {

std::string xml_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

const char* type_name(ParamType type) {
    switch (type) {
        case ParamType::integer:
            return "integer";
        case ParamType::boolean:
            return "boolean";
        case ParamType::string:
            break;
    }
    return "string";
}

}  // namespace

std::string meta_data_xml(const Spec& spec) {
    std::ostringstream xml;
    xml << "<?xml version=\"1.0\"?>\n"
        << "<!DOCTYPE resource-agent SYSTEM \"ra-api-1.dtd\">\n"
        << "<resource-agent name=\"" << xml_escape(spec.name) << "\" version=\""
        << xml_escape(spec.version) << "\">\n"
        << "<version>1.0</version>\n"
        << "<longdesc lang=\"en\">" << xml_escape(spec.longdesc) << "</longdesc>\n"
        << "<shortdesc lang=\"en\">" << xml_escape(spec.shortdesc) << "</shortdesc>\n"
        << "<parameters>\n";
    for (const auto& p : spec.parameters) {
        xml << "<parameter name=\"" << xml_escape(p.name) << "\" unique=\"" << (p.unique ? 1 : 0)
            << "\" required=\"" << (p.required ? 1 : 0) << "\">\n"
            << "<longdesc lang=\"en\">" << xml_escape(p.longdesc.empty() ? p.shortdesc : p.longdesc)
            << "</longdesc>\n"
            << "<shortdesc lang=\"en\">" << xml_escape(p.shortdesc) << "</shortdesc>\n"
            << "<content type=\"" << type_name(p.type) << "\"";
        if (!p.default_value.empty()) xml << " default=\"" << xml_escape(p.default_value) << "\"";
        xml << "/>\n</parameter>\n";
    }
    auto action = [&](const char* name, std::chrono::seconds timeout, const char* extra = "") {
        xml << "<action name=\"" << name << "\" timeout=\"" << timeout.count() << "s\"" << extra
            << "/>\n";
    };
    const std::string interval =
        " interval=\"" + std::to_string(spec.monitor_interval.count()) + "s\" depth=\"0\"";
    xml << "</parameters>\n<actions>\n";
    action("start", spec.start_timeout);
    action("stop", spec.stop_timeout);
    action("monitor", spec.monitor_timeout, interval.c_str());
    if (spec.promote) {
        const std::string slave = " interval=\"" +
                                  std::to_string(spec.monitor_interval.count() + 1) +
                                  "s\" depth=\"0\" role=\"Slave\"";
        action("monitor", spec.monitor_timeout, slave.c_str());
        action("promote", spec.start_timeout);
        action("demote", spec.stop_timeout);
    }
    if (spec.notify) action("notify", spec.monitor_timeout);
    action("meta-data", std::chrono::seconds(5));
    action("validate-all", std::chrono::seconds(20));
    xml << "</actions>\n</resource-agent>\n";
    return xml.str();
}

}  // namespace takeover::agent

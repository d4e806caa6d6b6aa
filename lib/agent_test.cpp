#include "takeover/agent.h"

#include <gtest/gtest.h>

#include <cstdlib>

using namespace takeover;
using namespace takeover::agent;

namespace {

// A toy agent whose state is one variable, to test the framework's plumbing.
struct Toy {
    bool running = false;
    Spec spec() {
        Spec s;
        s.name = "toy";
        s.shortdesc = "a toy";
        s.heartbeat_usage = "path [count]";
        s.parameters = {
            {.name = "path", .shortdesc = "a path", .required = true, .heartbeat_position = 0},
            {.name = "count",
             .shortdesc = "a count",
             .default_value = "3",
             .type = ParamType::integer,
             .heartbeat_position = 1},
        };
        s.validate = [](const Params& p) {
            if (p.str("path")[0] != '/') throw Error(Outcome::not_configured, "path not absolute");
        };
        s.start = [this](const Params&) { running = true; };
        s.stop = [this](const Params&) { running = false; };
        s.monitor = [this](const Params&) {
            return Health{running ? ResourceState::running : ResourceState::stopped, ""};
        };
        return s;
    }
};

}  // namespace

TEST(Agent, HeartbeatFieldsMapByPosition) {
    Toy toy;
    auto spec = toy.spec();
    auto p = params_from_heartbeat(spec, {"/x", "7"});
    EXPECT_EQ(p.str("path"), "/x");
    EXPECT_EQ(p.integer("count"), 7);
    auto q = params_from_heartbeat(spec, {"/x"});
    EXPECT_EQ(q.integer("count"), 3);  // default
    EXPECT_FALSE(q.has("count"));
}

TEST(Agent, TooManyFieldsAndControlCharactersAreBadArguments) {
    Toy toy;
    auto spec = toy.spec();
    EXPECT_THROW(params_from_heartbeat(spec, {"/x", "1", "extra"}), Error);
    try {
        params_from_heartbeat(spec, {"/x\n/y"});
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.outcome(), Outcome::bad_arguments);
    }
}

TEST(Agent, InvokeRunsValidateBeforeStart) {
    Toy toy;
    auto spec = toy.spec();
    std::string reason;
    auto bad = params_from_heartbeat(spec, {"relative"});
    EXPECT_EQ(invoke(spec, "start", bad, Convention::heartbeat, &reason), Outcome::not_configured);
    EXPECT_EQ(reason, "path not absolute");
    EXPECT_FALSE(toy.running);

    auto good = params_from_heartbeat(spec, {"/abs"});
    EXPECT_EQ(invoke(spec, "monitor", good, Convention::ocf), Outcome::not_running);
    EXPECT_EQ(invoke(spec, "start", good, Convention::ocf), Outcome::success);
    EXPECT_EQ(invoke(spec, "monitor", good, Convention::ocf), Outcome::success);
    EXPECT_EQ(invoke(spec, "stop", good, Convention::ocf), Outcome::success);
    EXPECT_EQ(invoke(spec, "promote", good, Convention::ocf), Outcome::unimplemented);
    EXPECT_EQ(invoke(spec, "startle", good, Convention::ocf), Outcome::unimplemented);
}

TEST(Agent, MissingRequiredAndBadIntegerAreNotConfigured) {
    Toy toy;
    auto spec = toy.spec();
    EXPECT_EQ(invoke(spec, "validate-all", params_from_heartbeat(spec, {}), Convention::ocf),
              Outcome::not_configured);
    EXPECT_EQ(
        invoke(spec, "validate-all", params_from_heartbeat(spec, {"/x", "many"}), Convention::ocf),
        Outcome::not_configured);
}

TEST(Agent, OcfEnvironmentIgnoresClusterMetaAttributes) {
    Toy toy;
    auto spec = toy.spec();
    setenv("OCF_RESKEY_path", "/from/env", 1);
    setenv("OCF_RESKEY_CRM_meta_timeout", "20000", 1);
    setenv("OCF_RESKEY_crm_feature_set", "3.16.2", 1);
    auto p = params_from_ocf_environment(spec);
    unsetenv("OCF_RESKEY_crm_feature_set");
    unsetenv("OCF_RESKEY_path");
    unsetenv("OCF_RESKEY_CRM_meta_timeout");
    EXPECT_EQ(p.str("path"), "/from/env");
    EXPECT_EQ(p.given().size(), 1u);
}

TEST(Agent, MonitorExceptionIsAFailureNotACrash) {
    Toy toy;
    auto spec = toy.spec();
    spec.monitor = [](const Params&) -> Health { throw std::runtime_error("boom"); };
    std::string reason;
    EXPECT_EQ(
        invoke(spec, "monitor", params_from_heartbeat(spec, {"/x"}), Convention::ocf, &reason),
        Outcome::generic_error);
    EXPECT_EQ(reason, "boom");
}

TEST(Agent, MetaDataDeclaresEveryParameterAndAction) {
    Toy toy;
    auto xml = meta_data_xml(toy.spec());
    EXPECT_NE(xml.find("<resource-agent name=\"toy\""), std::string::npos);
    EXPECT_NE(xml.find("<parameter name=\"path\" unique=\"0\" required=\"1\">"), std::string::npos);
    EXPECT_NE(xml.find("<content type=\"integer\" default=\"3\"/>"), std::string::npos);
    for (const char* action : {"start", "stop", "monitor", "meta-data", "validate-all"})
        EXPECT_NE(xml.find(std::string("<action name=\"") + action + "\""), std::string::npos)
            << action;
    EXPECT_EQ(xml.find("promote"), std::string::npos);
}

TEST(Agent, ManPageListsTheSameParametersAsMetaData) {
    Toy toy;
    auto spec = toy.spec();
    spec.examples = {"node1 toy::/x"};
    auto man = man_page(spec);
    EXPECT_NE(man.find(".TH takeover\\-toy 8"), std::string::npos);
    EXPECT_NE(man.find(".B path (required) [heartbeat field 1]"), std::string::npos);
    EXPECT_NE(man.find(".B count (default: 3) [heartbeat field 2]"), std::string::npos);
    EXPECT_NE(man.find("node1 toy::/x"), std::string::npos);
}

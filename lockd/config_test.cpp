#include "config.h"
#include "server_config.h"

#include "takeover/outcome.h"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>
#include <fstream>

namespace takeover::lockd {
namespace {

// The file from the 2003 OpenGFS failover how-to, with its line breaks restored.
const char* kHowto = R"(# the pool device that will contain the data(the larger of the 2)
datadev: /dev/sda3
# the pool device that will contain the cluster info(the small one)
cidev: /dev/sda1
# the IP:Port of the server that is going to be running memexpd
lockdev: 192.168.1.100:15697
# the port used for callbacks between cluster nodes
cbport: 3001
# time before a node is considered dead
timeout: 30
# method used for STOMITHing "dead" nodes
# Manual - human intervention
STOMITH: manual
# unique name for this method
name: manual

#Tag IPAddr CID STOMITH Method Plug/Port
node: 192.168.1.1 0 SM: manual
node: 192.168.1.2 1 SM: manual
)";

std::string ogfs_error(const std::string& text) {
    try {
        parse_ogfs_config(text, "ogfscf.cf");
    } catch (const Error& e) {
        EXPECT_EQ(e.outcome(), Outcome::not_configured);
        return e.what();
    }
    return "";
}

std::string native_error(const std::string& text) {
    try {
        parse_native_config(text, "memexpd.conf");
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

TEST(OgfsConfig, ReadsTheHowtoFile) {
    auto c = parse_ogfs_config(kHowto, "ogfscf.cf");
    ASSERT_TRUE(c.lockdev.has_value());
    EXPECT_EQ(c.lockdev->host, "192.168.1.100");
    EXPECT_EQ(c.lockdev->port, 15697);
    EXPECT_EQ(c.cbport, 3001);
    EXPECT_EQ(c.timeout_s, 30);
    EXPECT_EQ(c.datadev, "/dev/sda3");
    ASSERT_EQ(c.methods.size(), 1u);
    EXPECT_EQ(c.methods[0].type, "manual");
    EXPECT_EQ(c.methods[0].name, "manual");
    ASSERT_EQ(c.nodes.size(), 2u);
    EXPECT_EQ(c.nodes[1].address, "192.168.1.2");
    EXPECT_EQ(c.nodes[1].cid, 1);
    EXPECT_EQ(c.nodes[1].stomith, "manual");
}

TEST(OgfsConfig, PowerSwitchMethodsKeepTheirParameters) {
    auto c = parse_ogfs_config(
        "STOMITH: WTI_NPS\nname: wti\nserver: 10.0.0.9\npasswd: x\n"
        "node: 10.0.0.1 0 SM: wti 1\nnode: 10.0.0.2 1 SM: wti 2\n",
        "f");
    EXPECT_EQ(c.methods[0].params.at("server"), "10.0.0.9");
    EXPECT_EQ(c.nodes[1].plug, std::vector<std::string>{"2"});
}

TEST(OgfsConfig, ErrorsNameFileAndLine) {
    EXPECT_EQ(ogfs_error("timeout: 30\nlockdevv: 1.2.3.4:1\n"),
              "ogfscf.cf:2: unknown key \"lockdevv\"");
    EXPECT_EQ(ogfs_error("lockdev: fred:15697\n"),
              "ogfscf.cf:1: lockdev: expected IP:PORT, got \"fred:15697\"");
    EXPECT_EQ(ogfs_error("lockdev: 1.2.3.4:99999\n"),
              "ogfscf.cf:1: lockdev: expected IP:PORT, got \"1.2.3.4:99999\"");
    EXPECT_EQ(ogfs_error("\ntimeout: -1\n"),
              "ogfscf.cf:2: timeout: expected seconds 1..3600, got \"-1\"");
    EXPECT_EQ(ogfs_error("timeout 30\n"), "ogfscf.cf:1: expected \"key: value\"");
    EXPECT_EQ(ogfs_error("STOMITH: manual\nname: m\nnode: 1.2.3.4 x SM: m\n"),
              "ogfscf.cf:3: node: CID \"x\" is not a number 0..65535");
    EXPECT_EQ(
        ogfs_error("STOMITH: manual\nname: m\nnode: 1.2.3.4 0 SM: m\nnode: 1.2.3.5 0 SM: m\n"),
        "ogfscf.cf:4: node: CID 0 used twice");
    EXPECT_EQ(ogfs_error("node: 1.2.3.4 0 SM: ghost\n"),
              "ogfscf.cf:1: node 1.2.3.4: no STOMITH method named \"ghost\"");
    EXPECT_EQ(ogfs_error("STOMITH: manual\nnode: 1.2.3.4 0 SM: manual\n"),
              "ogfscf.cf:1: STOMITH: manual has no name:");
    EXPECT_EQ(ogfs_error("node: $(reboot) 0 SM: m\n"),
              "ogfscf.cf:1: node: \"$(reboot)\" is not an IP address");
    EXPECT_EQ(ogfs_error("node: 1.2.3.4 0 manual\n"),
              "ogfscf.cf:1: node: expected \"IP CID SM: method [plug]\"");
}

TEST(NativeConfig, ReadsTheShippedFile) {
    auto c = load_native_config(std::string(TAKEOVER_SOURCE_DIR) + "/conf/memexpd.conf");
    EXPECT_EQ(c.key_file, "/etc/memexpd/key");
    EXPECT_EQ(c.limits.max_sessions, 1024u);
    EXPECT_FALSE(c.listen.has_value());
}

TEST(NativeConfig, ParsesEveryKey) {
    auto c = parse_native_config(
        "listen [::1]:7000\nkey_file /k\nmax_sessions 3\nmax_frame_bytes 2048\n"
        "min_lease_ms 200\nmax_lease_ms 900\n# comment\n\nlisten 127.0.0.1\n",
        "f");
    EXPECT_EQ(c.listen->host, "127.0.0.1");
    EXPECT_EQ(c.listen->port, proto::kDefaultPort);
    EXPECT_EQ(c.limits.max_sessions, 3u);
    EXPECT_EQ(c.max_frame_bytes, 2048u);
    EXPECT_EQ(c.limits.max_lease, milliseconds(900));
}

TEST(NativeConfig, ErrorsNameFileAndLine) {
    EXPECT_EQ(native_error("max_sesions 3\n"), "memexpd.conf:1: unknown key \"max_sesions\"");
    EXPECT_EQ(native_error("\nmax_sessions 0\n"),
              "memexpd.conf:2: max_sessions: expected an integer 1..1000000");
    EXPECT_EQ(native_error("max_frame_bytes 99999999\n"),
              "memexpd.conf:1: max_frame_bytes: expected an integer 1024..1048576");
    EXPECT_EQ(native_error("key_file relative/key\n"),
              "memexpd.conf:1: key_file: expected an absolute path");
    EXPECT_EQ(native_error("listen localhost\n"),
              "memexpd.conf:1: listen: expected ADDRESS[:PORT] with a numeric address");
    EXPECT_EQ(native_error("listen 1.2.3.4 5\n"), "memexpd.conf:1: expected \"key value\"");
    EXPECT_EQ(native_error("min_lease_ms 5000\nmax_lease_ms 1000\n"),
              "memexpd.conf: min_lease_ms is above max_lease_ms");
}

TEST(KeyFile, AuthkeysOrRawKey) {
    EXPECT_EQ(
        parse_key_text("auth 2\n1 sha1 first-key-0123456789\n2 md5 second-key-0123456789\n", "k"),
        "second-key-0123456789");
    EXPECT_EQ(parse_key_text("  0123456789abcdef0123\n", "k"), "0123456789abcdef0123");
    EXPECT_THROW(parse_key_text("short", "k"), Error);
    EXPECT_THROW(parse_key_text("auth 3\n1 sha1 first-key-0123456789\n", "k"), Error);
}

TEST(KeyFile, ModeMustBePrivate) {
    std::string path = ::testing::TempDir() + "/memexpd-key-" + std::to_string(getpid());
    std::ofstream(path) << "0123456789abcdef0123\n";
    chmod(path.c_str(), 0644);
    try {
        load_key_file(path);
        ADD_FAILURE() << "a world-readable key was accepted";
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()),
                  path + ": mode 0644 lets others read the key (chmod 600 it)");
    }
    chmod(path.c_str(), 0600);
    EXPECT_EQ(load_key_file(path), "0123456789abcdef0123");
    unlink(path.c_str());
}

TEST(Endpoint, Forms) {
    EXPECT_EQ(parse_endpoint("[fe80::1]:80")->host, "fe80::1");
    EXPECT_EQ(parse_endpoint("::1", 5)->port, 5);
    EXPECT_FALSE(parse_endpoint("1.2.3.4").has_value());  // no default port given
    EXPECT_FALSE(parse_endpoint("1.2.3.4:").has_value());
    EXPECT_EQ(parse_endpoint("10.0.0.1:1")->str(), "10.0.0.1:1");
    EXPECT_EQ(parse_endpoint("[::1]:2")->str(), "[::1]:2");
}

}  // namespace
}  // namespace takeover::lockd

namespace takeover::lockd {
namespace {

TEST(NativeConfig, StatedevIsAnAbsolutePath) {
    EXPECT_EQ(parse_native_config("statedev /dev/mapper/lockstate\n", "memexpd.conf").statedev,
              "/dev/mapper/lockstate");
    EXPECT_TRUE(parse_native_config("", "memexpd.conf").statedev.empty());  // memory mode
    try {
        parse_native_config("statedev state.img\n", "memexpd.conf");
        FAIL();
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(), "memexpd.conf:1: statedev: expected an absolute path");
    }
}

}  // namespace
}  // namespace takeover::lockd

namespace takeover::lockd {
namespace {

// --statedev, else memexpd.conf's statedev, else ogfscf.cf's cidev, else memory mode.
TEST(Settings, StatedevPrecedence) {
    char dir[] = "/tmp/lockd-settings-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    std::string d = dir;
    auto write = [&](const std::string& name, const std::string& text) {
        std::ofstream(d + "/" + name) << text;
        return d + "/" + name;
    };
    std::string key = write("key", "0123456789abcdef0123\n");
    chmod(key.c_str(), 0600);
    std::string ogfs = write("ogfscf.cf", "cidev: /dev/sdz1\n");
    std::string with = write("with.conf", "statedev /dev/mapper/state\nogfs_config " + ogfs + "\n");
    std::string without = write("without.conf", "ogfs_config " + ogfs + "\n");
    EXPECT_EQ(load_settings({with, "", "", key, "/dev/cli"}).statedev, "/dev/cli");
    EXPECT_EQ(load_settings({with, "", "", key, ""}).statedev, "/dev/mapper/state");
    EXPECT_EQ(load_settings({without, "", "", key, ""}).statedev, "/dev/sdz1");
    EXPECT_EQ(load_settings({"", "", "", key, ""}).statedev, "");
    for (auto f : {"key", "ogfscf.cf", "with.conf", "without.conf"}) unlink((d + "/" + f).c_str());
    rmdir(dir);
}

}  // namespace
}  // namespace takeover::lockd

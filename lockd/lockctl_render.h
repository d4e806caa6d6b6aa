// Output of lockctl: aligned text tables for people, JSON for scripts.
#pragma once

#include "protocol.h"

#include <string>
#include <vector>

namespace takeover::lockd::lockctl {

// Lock names are byte strings: anything unprintable is shown escaped (\xNN).
std::string printable(const std::string&);
std::string json_string(const std::string&);

// `lockctl status`: the server, its mode (durable PATH / memory), grace, fencing.
std::string render_status(const proto::StatusReply&, bool json);

class Table {
  public:
    explicit Table(std::vector<std::string> columns) : columns_(std::move(columns)) {}
    // One row; numeric cells are given with numeric=true so JSON leaves them unquoted.
    void row(std::vector<std::pair<std::string, bool>> cells) { rows_.push_back(std::move(cells)); }
    std::string text() const;
    std::string json() const;  // an array of objects keyed by column name

  private:
    std::vector<std::string> columns_;
    std::vector<std::vector<std::pair<std::string, bool>>> rows_;
};

}  // namespace takeover::lockd::lockctl

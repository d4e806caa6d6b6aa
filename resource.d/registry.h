// Our agents by name, so `takeover` can run them in-process instead of forking a binary.
#pragma once

#include "takeover/agent.h"

#include <optional>
#include <string>
#include <vector>

namespace takeover::agents {

std::optional<agent::Spec> find(const std::string& name);
std::vector<std::string> names();

}  // namespace takeover::agents

// 128 random bits from the system's generator, as 32 hex digits: page secrets, bulk-lane
// secrets and blob tokens.
#pragma once

#include <QRandomGenerator>

#include <fmt/format.h>

#include <string>

namespace myapp::runtime {

inline std::string random_secret() {
  std::string out;
  auto* gen = QRandomGenerator::system();
  for (int i = 0; i < 4; ++i) out += fmt::format("{:08x}", gen->generate());
  return out;
}

}  // namespace myapp::runtime

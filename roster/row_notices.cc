#include "roster/row_notices.h"

namespace rostersync {
namespace {
constexpr size_t kNamedRows = 3;
}  // namespace

void RowNotices::Add(const std::string& finding, const std::string& where,
                     const std::string& tail) {
  auto [it, inserted] = by_finding_.try_emplace(finding);
  if (inserted) {
    order_.push_back(finding);
    it->second.tail = tail;
  }
  ++it->second.count;
  if (it->second.first.size() < kNamedRows) it->second.first.push_back(where);
}

void RowNotices::AppendTo(std::vector<std::string>* notices) const {
  for (const std::string& finding : order_) {
    const Entry& e = by_finding_.at(finding);
    std::string rows;
    for (const auto& where : e.first) rows += (rows.empty() ? "" : ", ") + where;
    if (e.count > static_cast<int64_t>(kNamedRows)) {
      rows += " and " + std::to_string(e.count - static_cast<int64_t>(kNamedRows)) + " more";
    }
    notices->push_back(finding + " on " + std::to_string(e.count) +
                       (e.count == 1 ? " row (" : " rows (") + rows + "): " + e.tail);
  }
}

}  // namespace rostersync

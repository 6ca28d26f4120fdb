#include "eval/references.h"

#include "util/error.h"

namespace ferry {

std::vector<std::string_view> usable_references(const std::vector<std::string_view>& references) {
  if (references.empty()) return {std::string_view()};
  return references;
}

std::vector<std::string_view> references_of_line(const ReferenceStreams& streams, size_t line) {
  std::vector<std::string_view> references;
  references.reserve(streams.size());
  for (const auto& stream : streams) references.emplace_back(stream.at(line));
  return references;
}

void check_streams_align(size_t lines, const ReferenceStreams& streams) {
  FERRY_CHECK(!streams.empty(), InputError, "no references given");
  for (size_t i = 0; i < streams.size(); ++i) {
    FERRY_CHECK(streams[i].size() == lines, InputError,
                "reference stream " << i + 1 << " has " << streams[i].size() << " lines but there are "
                                    << lines << " hypotheses");
  }
}

}  // namespace ferry

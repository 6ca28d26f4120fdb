// scripts/make-large-corpus.sh: N distinct pairs, each two Multi30k training pairs joined side by side.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "support/corpus.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace ferry {
namespace {

std::vector<std::string> lines_of(const ProcessResult& r) {
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t end; (end = r.out.find('\n', start)) != std::string::npos; start = end + 1)
    lines.push_back(r.out.substr(start, end - start));
  return lines;
}

TEST(MakeLargeCorpusScript, WritesNDistinctJoinedPairs) {
  const TempDir dir;
  const std::string script = source_dir() + "/scripts/make-large-corpus.sh";
  const ProcessResult r = run_command(script + " 2000 " + dir.path("large"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> src = lines_of(run_command("gzip -dc " + dir.path("large/train.de.gz")));
  const std::vector<std::string> tgt = lines_of(run_command("gzip -dc " + dir.path("large/train.en.gz")));
  ASSERT_EQ(src.size(), 2000u);
  ASSERT_EQ(tgt.size(), 2000u);
  std::set<std::pair<std::string, std::string>> distinct;
  for (size_t i = 0; i < src.size(); ++i) distinct.insert({src[i], tgt[i]});
  EXPECT_EQ(distinct.size(), 2000u);
  // Pair 0 joins training pairs 0 and 1, on both sides.
  const std::vector<std::string> de = multi30k_lines("train.de.gz", 2), en = multi30k_lines("train.en.gz", 2);
  EXPECT_EQ(src[0], de[0] + " " + de[1]);
  EXPECT_EQ(tgt[0], en[0] + " " + en[1]);

  for (const char* bad : {"0", "x", "-5"}) {
    const ProcessResult refused = run_command(script + " " + bad + " " + dir.path("bad"));
    EXPECT_EQ(refused.exit_code, 2) << bad;
    EXPECT_NE(refused.err.find("N must be a positive whole number"), std::string::npos) << refused.err;
  }
}

}  // namespace
}  // namespace ferry

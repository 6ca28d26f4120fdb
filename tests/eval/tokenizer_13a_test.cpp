#include "eval/tokenizer_13a.h"

#include <gtest/gtest.h>

namespace ferry {
namespace {

// Expected values follow sacreBLEU's 13a rules applied by hand: (1) every ASCII character in
// space..&, (..+, /, :..@, [..`, {..~ gets a space on each side; (2) "X." / "X," with X not a digit becomes
// "X . "; (3) "." / "," followed by a non-digit Y becomes " . Y"; (4) a digit followed by "-" becomes "D - ";
// then whitespace runs collapse.

TEST(Tokenizer13a, SplitsAsciiSymbolsButNotApostropheOrHyphen) {
  EXPECT_EQ(tokenize_13a("Hello, world!"), "Hello , world !");
  EXPECT_EQ(tokenize_13a("It's a well-known (big) deal: \"yes\"; no?"),
            "It's a well-known ( big ) deal : \" yes \" ; no ?");
  EXPECT_EQ(tokenize_13a("a/b [c] {d} x+y=z ~`^_|\\@#$%&*<>"),
            "a / b [ c ] { d } x + y = z ~ ` ^ _ | \\ @ # $ % & * < >");
}

TEST(Tokenizer13a, PeriodsAndCommasStayInsideNumbers) {
  // "1,000.5": each separator has a digit before it (rule 2 does not fire) and after it (nor rule 3).
  // "3-4": rule 4 splits the dash after a digit. "items," and "ok." split by rule 2.
  EXPECT_EQ(tokenize_13a("1,000.5 and 3-4 items, ok."), "1,000.5 and 3 - 4 items , ok .");
  // "x.y": rule 2 fires on "x.". "3.x": rule 2 does not (digit before), rule 3 does (letter after).
  EXPECT_EQ(tokenize_13a("x.y 3.x"), "x . y 3 . x");
  // A leading ".5" is preceded by the space 13a adds around the line, so rule 2 splits it.
  EXPECT_EQ(tokenize_13a(".5"), ". 5");
  // "a-3" keeps its dash: only a digit before the dash splits it.
  EXPECT_EQ(tokenize_13a("a-3 3-a"), "a-3 3 - a");
}

TEST(Tokenizer13a, RepeatedPeriodsFollowNonOverlappingMatches) {
  // " Wait... ": rule 2 matches "t." then ".." (the scan resumes after each match), giving "Wait . . . ".
  EXPECT_EQ(tokenize_13a("Wait..."), "Wait . . .");
  EXPECT_EQ(tokenize_13a("$5.00 (approx.)"), "$ 5.00 ( approx . )");
}

TEST(Tokenizer13a, HtmlEntitiesAndSkippedMarker) {
  EXPECT_EQ(tokenize_13a("AT&amp;T &lt;b&gt; &quot;x&quot;"), "AT & T < b > \" x \"");
  // Unescaping runs &quot; first, then &amp;, then &lt; and &gt;: "&amp;lt;" ends as "<", but "&amp;quot;"
  // only as "&quot;", which rule 1 then splits into "& quot ;".
  EXPECT_EQ(tokenize_13a("&amp;lt; &amp;quot;"), "< & quot ;");
  EXPECT_EQ(tokenize_13a("a <skipped> b"), "a b");
  EXPECT_EQ(tokenize_13a("<skipped>"), "");
}

TEST(Tokenizer13a, NonAsciiPunctuationAndCjkAreLeftAlone) {
  EXPECT_EQ(tokenize_13a("Der „Mann“ läuft – schnell!"), "Der „Mann“ läuft – schnell !");
  EXPECT_EQ(tokenize_13a("Café au lait… très bon?"), "Café au lait… très bon ?");
  // "»," and "»." split by rules 2 and 3 since » is not a digit; the guillemets themselves stay attached.
  EXPECT_EQ(tokenize_13a("«Bonjour», dit-il ; puis: «Adieu»."), "«Bonjour» , dit-il ; puis : «Adieu» .");
  // No ASCII character to split: the whole Japanese sentence is one token.
  EXPECT_EQ(tokenize_13a("東京タワーは高いです。"), "東京タワーは高いです。");
  EXPECT_EQ(tokenize_13a("东京,北京"), "东京 , 北京");
}

TEST(Tokenizer13a, UnicodeWhitespaceSeparatesTokens) {
  EXPECT_EQ(tokenize_13a("  a\u00A0b\u3000c\t "), "a b c");
  EXPECT_EQ(tokenize_13a("a\u200Bb"), "a\u200Bb");
  EXPECT_EQ(tokenize_13a(""), "");
}

}  // namespace
}  // namespace ferry

// tree-math.json: n_nodes, root, and left/right/parent/sibling of every node.
#include "tree/tree_math.h"
#include "vectors.h"

namespace mls::vectors {

namespace {
Status compare_optional(std::string_view what, size_t i, std::optional<tree::NodeIndex> got,
                        const json& want) {
  bool same = want.is_null() ? !got.has_value()
                             : (got.has_value() && got->value == want.get<uint32_t>());
  if (same) return {};
  return make_error(ErrorCode::invalid_value,
                    std::string(what) + "[" + std::to_string(i) + "]: got " +
                        (got ? std::to_string(got->value) : "null") + ", expected " + want.dump());
}
}  // namespace

Status check_tree_math(const json& c) {
  using namespace tree;
  LeafCount n(c.at("n_leaves").get<uint32_t>());
  MLS_CHECK(expect_equal("n_nodes", node_width(n), c.at("n_nodes").get<uint32_t>()));
  MLS_CHECK(expect_equal("root", root(n).value, c.at("root").get<uint32_t>()));
  const char* names[] = {"left", "right", "parent", "sibling"};
  for (const char* name : names) {
    const json& want = c.at(name);
    MLS_CHECK(expect_equal(std::string(name) + " length", want.size(), node_width(n)));
  }
  for (uint32_t i = 0; i < node_width(n); ++i) {
    NodeIndex x(i);
    MLS_CHECK(compare_optional("left", i, left(x), c["left"][i]));
    MLS_CHECK(compare_optional("right", i, right(x), c["right"][i]));
    MLS_CHECK(compare_optional("parent", i, parent(x, n), c["parent"][i]));
    MLS_CHECK(compare_optional("sibling", i, sibling(x, n), c["sibling"][i]));
  }
  return {};
}

}  // namespace mls::vectors

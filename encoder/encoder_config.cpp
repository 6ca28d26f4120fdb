#include "encoder/encoder_config.h"

namespace ferry {

EncoderConfig read_encoder_config(ConfigReader& encoder) {
  EncoderConfig c;
  c.cell = parse_cell(encoder.choice("cell", cell_name(c.cell), {"lstm", "gru", "rnn"}, "recurrent cell"));
  c.layers = encoder.integer("layers", c.layers, 1, 16, "stacked layers");
  c.hidden = encoder.integer("hidden", c.hidden, 1, 65536, "state width per direction");
  c.bidirectional =
      encoder.boolean("bidirectional", c.bidirectional, "each layer reads the sentence both ways");
  c.residual = encoder.boolean("residual", c.residual, "residual connections from layer 2 on");
  c.dropout = encoder.real("dropout", c.dropout, 0.0, 0.9, "dropout on embeddings and between layers");
  c.variational = encoder.boolean("variational_dropout", c.variational,
                                  "draw those dropout masks once per sentence, the same at every position");
  return c;
}

}  // namespace ferry

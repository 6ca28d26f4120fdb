// The Python module `ferry` (pybind11): Translator (translate and score lists of sentences with a model or
// an ensemble) and evaluate (BLEU and chrF as sacreBLEU computes them). Errors keep their messages: bad
// input raises ValueError, anything else RuntimeError. Translation releases the GIL; calls from several
// Python threads take turns, as the models and oneDNN's context serve one caller at a time.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "eval/eval_corpus.h"
#include "eval/evaluation.h"
#include "translate/text_translator.h"
#include "translate/translate_options.h"
#include "util/error.h"

namespace py = pybind11;

namespace {

// Every translation of the process, whatever the Translator: the oneDNN context and its scratchpad are the
// process's.
std::mutex& numerics_mutex() {
  static std::mutex mutex;
  return mutex;
}

std::vector<std::string> model_list(const py::object& model) {
  if (py::isinstance<py::str>(model)) return {model.cast<std::string>()};
  try {
    return model.cast<std::vector<std::string>>();
  } catch (const py::cast_error&) {
    throw py::type_error("model must be a path (str) or a list of paths for an ensemble");
  }
}

class PyTranslator {
 public:
  PyTranslator(const py::object& model, std::optional<int64_t> beam_size, std::optional<std::string> precision,
               int threads) {
    const ferry::TextTranslatorOptions options = make_options(model, beam_size, precision, threads);
    py::gil_scoped_release released;
    std::lock_guard<std::mutex> lock(numerics_mutex());  // loading makes primitives
    translator_ = std::make_unique<ferry::TextTranslator>(options);
  }

  std::vector<std::string> translate(const std::vector<std::string>& lines) {
    py::gil_scoped_release released;
    std::lock_guard<std::mutex> lock(numerics_mutex());
    return translator_->translate(lines);
  }

  std::vector<double> score(const std::vector<std::string>& sources, const std::vector<std::string>& targets) {
    py::gil_scoped_release released;
    std::lock_guard<std::mutex> lock(numerics_mutex());
    return translator_->score(sources, targets);
  }

  int64_t beam_size() const { return translator_->decoding().beam_size; }
  std::string precision() const { return ferry::precision_name(translator_->precision()); }
  int threads() const { return translator_->threads(); }

 private:
  static ferry::TextTranslatorOptions make_options(const py::object& model, std::optional<int64_t> beam_size,
                                                   const std::optional<std::string>& precision, int threads) {
    ferry::TextTranslatorOptions options;
    options.models = model_list(model);
    options.beam_size = beam_size;
    if (precision) {
      try {
        options.precision = ferry::parse_precision(*precision);
      } catch (const ferry::InputError&) {
        throw py::value_error("precision must be f32, bf16 or int8, not '" + *precision + "'");
      }
    }
    options.threads = threads;
    return options;
  }

  std::unique_ptr<ferry::TextTranslator> translator_;
};

py::dict evaluate(const std::vector<std::string>& hypotheses, const std::vector<std::vector<std::string>>& references,
                  const std::string& metrics) {
  ferry::EvalCorpus corpus{hypotheses, references};
  ferry::check_streams_align(hypotheses.size(), corpus.references);
  const ferry::CorpusEvaluation result = ferry::evaluate_corpus(corpus, ferry::parse_metric_list(metrics));
  py::dict scores;
  if (result.bleu) scores["bleu"] = result.bleu->score;
  if (result.chrf) scores["chrf"] = result.chrf->score;
  if (result.chrf_plus_plus) scores["chrf++"] = result.chrf_plus_plus->score;
  return scores;
}

}  // namespace

PYBIND11_MODULE(ferry, m) {
  m.doc() = "ferry: neural machine translation on the CPU (translate, score, evaluate)";
  py::register_exception_translator([](std::exception_ptr error) {
    try {
      if (error) std::rethrow_exception(error);
    } catch (const ferry::InputError& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    } catch (const ferry::Error& e) {
      PyErr_SetString(PyExc_RuntimeError, e.what());
    }
  });

  py::class_<PyTranslator>(m, "Translator",
                           "A translation model (or an ensemble: a list of model files sharing both "
                           "vocabularies), loaded once.")
      .def(py::init<const py::object&, std::optional<int64_t>, std::optional<std::string>, int>(), py::arg("model"),
           py::arg("beam_size") = py::none(), py::arg("precision") = py::none(), py::arg("threads") = 0,
           "model: path of model.bin (or a list of paths); beam_size: 1 is greedy (default: the model's "
           "decoding.beam_size); precision: 'f32', 'bf16' or 'int8' (default: the model's); threads: 0 is "
           "every core")
      .def("translate", &PyTranslator::translate, py::arg("lines"),
           "Translates a list of sentences: one translation per sentence, in order.")
      .def("score", &PyTranslator::score, py::arg("sources"), py::arg("targets"),
           "The log-probability of each target given its source (natural log, over its subwords and </s>).")
      .def_property_readonly("beam_size", &PyTranslator::beam_size)
      .def_property_readonly("precision", &PyTranslator::precision)
      .def_property_readonly("threads", &PyTranslator::threads);

  m.def("evaluate", &evaluate, py::arg("hypotheses"), py::arg("references"), py::arg("metrics") = "bleu,chrf",
        "Scores hypotheses against one or more reference lists (each as long as the hypotheses) as sacreBLEU "
        "does by default: returns {'bleu': ..., 'chrf': ...} (metrics among bleu, chrf, chrf++).");
}

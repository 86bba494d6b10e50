"""What the course states in two places must agree: a test fails when the copies drift apart.

- benchmarks/bench_xor.py, bench_mnist.py and bench_training_loop.py time notebook 05's, 06's
  and 08's models and recipes;
- the quiet-TensorFlow settings live in helpers/_tf_logs.py only.
Compared as source (Python's ast), so no TensorFlow is started.
"""

from __future__ import annotations

import ast
import inspect
import json
import re
import textwrap
from pathlib import Path

from benchmarks import bench_mnist, bench_training_loop, bench_xor
from helpers._tf_logs import QUIET_TF_ENV

ROOT = Path(__file__).resolve().parents[1]


def cells(name: str, kind: str = "code") -> list[str]:
    path = next((ROOT / "notebooks").glob(f"{name}_*.ipynb"))
    nb = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == kind]


def code_cell_defining(name: str, pattern: str) -> ast.Module:
    """The parsed code cell of notebook ``name`` whose source matches ``pattern``."""
    found = [source for source in cells(name) if re.search(pattern, source)]
    assert len(found) == 1, f"notebook {name}: expected one code cell matching {pattern!r}"
    return ast.parse(found[0])


def calls(tree: ast.AST, attr: str) -> list[ast.Call]:
    """Every call of something named ``attr`` (``tf.keras.Sequential``, ``model.compile``)."""
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute | ast.Name)
        and getattr(node.func, "attr", getattr(node.func, "id", None)) == attr
    ]  # fmt: skip


class _Normalise(ast.NodeTransformer):
    """Drop ``name=`` arguments (labels only) and put parameter defaults in place of names."""

    def __init__(self, defaults: dict[str, ast.expr]):
        self.defaults = defaults

    def visit_Call(self, node: ast.Call) -> ast.Call:
        node.keywords = [k for k in node.keywords if k.arg != "name"]
        return self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> ast.expr:
        return self.defaults.get(node.id, node)


def normalised(node: ast.AST, function: ast.FunctionDef | None = None) -> str:
    defaults = {}
    if function is not None:
        args = function.args.args
        defaults = dict(zip([a.arg for a in args[len(args) - len(function.args.defaults) :]],
                            function.args.defaults, strict=True))  # fmt: skip
    return ast.dump(_Normalise(defaults).visit(node))


def function_named(tree: ast.AST, name: str) -> ast.FunctionDef:
    return next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == name)


def assigned(tree: ast.AST, name: str):
    """The literal value assigned to ``name`` at the top level of ``tree``."""
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            return ast.literal_eval(node.value)
    raise AssertionError(f"no top-level assignment to {name}")


# --- benchmarks/bench_xor.py times notebook 05's network and recipe ------------------------


def test_bench_xor_uses_notebook_05s_model_recipe_and_seed():
    cell = code_cell_defining("05", r"def xor_mlp\(")
    xor_mlp = function_named(cell, "xor_mlp")
    bench = ast.parse(textwrap.dedent(inspect.getsource(bench_xor.xor_model)))
    (nb_model,), (bench_model,) = calls(xor_mlp, "Sequential"), calls(bench, "Sequential")
    assert normalised(nb_model, xor_mlp) == normalised(bench_model), "the 2-2-1 network differs"
    assert assigned(cell, "SEED") == bench_xor.SEED
    # The notes' recipe, compiled in notebook 05's Going further from the same initial weights.
    recipe = code_cell_defining("05", r"notes_model\.compile\(")
    (nb_compile,), (bench_compile,) = calls(recipe, "compile"), calls(bench, "compile")
    nb_compile.func.value = bench_compile.func.value  # notes_model.compile vs model.compile
    assert normalised(nb_compile) == normalised(bench_compile), "optimizer or loss differs"


def test_bench_xor_times_the_notes_recipe_of_notebook_05():
    # The notes' recipe that notebook 05 times: fit with batch_size=1 for 10,000 epochs.
    assert any("epochs=10000" in s and "batch_size=1" in s for s in cells("05", "markdown"))
    assert bench_xor.FULL_EPOCHS == 10_000
    assert "batch_size=1" in inspect.getsource(bench_xor.run)


def test_bench_xor_times_notebook_05s_compiled_loop():
    # The same per-sample update, inside the same two nested tf.range loops.
    nb_loop = function_named(
        code_cell_defining("05", r"def train_per_sample\("), "train_per_sample"
    )
    bench_loop = function_named(
        ast.parse(textwrap.dedent(inspect.getsource(bench_xor.make_compiled_loop))), "train"
    )

    def inner_loop(function: ast.FunctionDef) -> str:
        (outer,) = [n for n in function.body if isinstance(n, ast.For)]
        (inner,) = [n for n in outer.body if isinstance(n, ast.For)]
        assert ast.unparse(inner.iter) == "tf.range(4)"
        body = [n for n in inner.body if not isinstance(n, ast.AugAssign)]  # loss bookkeeping
        # The notebook names its weights W1, W2 and its data X_t, y_t; the bench w1, x_all, y_all.
        source = ast.unparse(ast.Module(body=body, type_ignores=[])).lower()
        return source.replace("x_t", "x_all").replace("y_t", "y_all")

    assert inner_loop(nb_loop) == inner_loop(bench_loop), (
        "bench_xor's compiled loop differs from notebook 05's train_per_sample"
    )
    assert nb_loop.decorator_list and ast.unparse(nb_loop.decorator_list[0]) == ast.unparse(
        bench_loop.decorator_list[0]
    ), "the jit_compile setting differs"


# --- benchmarks/bench_mnist.py times notebook 06's model, recipe and pipeline --------------


def test_bench_mnist_uses_notebook_06s_model_and_recipe():
    cell = code_cell_defining("06", r"model = tf\.keras\.Sequential\(")
    bench = ast.parse(textwrap.dedent(inspect.getsource(bench_mnist.notebook_06_model)))
    (nb_model,), (bench_model,) = calls(cell, "Sequential"), calls(bench, "Sequential")
    assert normalised(nb_model) == normalised(bench_model), "the MNIST model differs"
    (nb_compile,), (bench_compile,) = calls(cell, "compile"), calls(bench, "compile")
    assert normalised(nb_compile) == normalised(bench_compile), "optimizer, loss or metrics differ"
    (nb_seed,), (bench_seed,) = calls(cell, "set_random_seed"), calls(bench, "set_random_seed")
    assert normalised(nb_seed) == normalised(bench_seed)
    assert assigned(cell, "EPOCHS") == bench_mnist.MAX_EPOCHS


def test_bench_mnist_uses_notebook_06s_split_batch_size_and_tuned_pipeline():
    pipeline = code_cell_defining("06", r"BATCH_SIZE = ")
    assert assigned(pipeline, "BATCH_SIZE") == bench_mnist.BATCH_SIZE
    nb_scale = normalised(function_named(pipeline, "scale"))
    bench_scale = ast.parse(textwrap.dedent(inspect.getsource(bench_mnist.scale)))
    # The bench imports TensorFlow inside the function; the notebook at the top.
    bench_scale.body[0].body = [
        s for s in bench_scale.body[0].body if not isinstance(s, ast.Import)
    ]
    assert nb_scale == normalised(bench_scale.body[0]), "scale() differs"
    # The tuned training pipeline: cache, shuffle, batch, map (parallel), prefetch.
    chain = re.compile(r"\.cache\(\)\s*\.shuffle\(10_000, seed=(\w+)\)\s*\.batch\(BATCH_SIZE\)"
                       r"\s*\.map\(scale, num_parallel_calls=tf\.data\.AUTOTUNE\)"
                       r"\s*\.prefetch\(tf\.data\.AUTOTUNE\)")  # fmt: skip
    assert chain.search(next(s for s in cells("06") if "BATCH_SIZE = " in s))
    tuned = ast.unparse(ast.parse(textwrap.dedent(inspect.getsource(bench_mnist.tuned_pipeline))))
    assert all(step in tuned for step in (".cache()", ".shuffle(10000, seed=shuffle_seed)",
               ".batch(BATCH_SIZE)", ".map(scale, num_parallel_calls=tf.data.AUTOTUNE)",
               ".prefetch(tf.data.AUTOTUNE)"))  # fmt: skip
    # The training split: notebook 06 fits on train[:50000] and validates on the rest.
    loads = code_cell_defining("06", r"fit_part, validation_part = ")
    fit_split = next(
        ast.literal_eval(k.value)[0]
        for call in calls(loads, "load")
        for k in call.keywords
        if k.arg == "split" and isinstance(k.value, ast.List)
    )
    assert bench_mnist.CONFIGS["full"]["split"] == fit_split, "the training split differs"


# --- one source for the quiet-TensorFlow settings ------------------------------------------


def test_quiet_tf_settings_are_written_only_in_helpers():
    for path in ["Makefile", "benchmarks/run.py", "helpers/notebook.py", "helpers/data.py",
                 "helpers/distributed.py"]:  # fmt: skip
        text = (ROOT / path).read_text(encoding="utf-8")
        for name in QUIET_TF_ENV:
            assert f"{name}=" not in text and f'"{name}"' not in text, (
                f"{path} writes {name} itself: take it from helpers/_tf_logs.py"
            )
    assert "helpers/_tf_logs.py" in (ROOT / "Makefile").read_text(encoding="utf-8")


# --- benchmarks/bench_training_loop.py times notebook 07's network and hand-written step ---


def test_bench_training_loop_uses_notebook_07s_network_and_compile_settings():
    cell = code_cell_defining("07", r"def make_mlp\(")
    make_mlp = function_named(cell, "make_mlp")
    bench = ast.parse(textwrap.dedent(inspect.getsource(bench_training_loop.notebook_08_model)))
    # The notebook builds its list of layers in a loop: spell it out, with make_mlp's defaults
    # (no dropout, no L2 penalty, so kernel_regularizer=None is left out).
    (hidden_loop,) = [n for n in ast.walk(make_mlp) if isinstance(n, ast.For)]
    (hidden_count,) = (ast.literal_eval(a) for a in hidden_loop.iter.args)
    (first_layers,) = [n.value for n in make_mlp.body if isinstance(n, ast.Assign)
                       and isinstance(n.value, ast.List)]  # fmt: skip
    (hidden,) = calls(hidden_loop, "Dense")
    hidden.keywords = [k for k in hidden.keywords if k.arg != "kernel_regularizer"]
    (output,) = [c for c in calls(make_mlp, "Dense") if c is not hidden]
    nb_layers = [*first_layers.elts, *[hidden] * hidden_count, output]
    (bench_model,) = calls(bench, "Sequential")
    bench_layers = bench_model.args[0].elts
    assert [normalised(n, make_mlp) for n in nb_layers] == [normalised(n) for n in bench_layers], (
        "the network differs from notebook 07's make_mlp()"
    )
    (nb_compile,), (bench_compile,) = calls(make_mlp, "compile"), calls(bench, "compile")
    # steps_per_execution is left out on purpose: the bench times fit one step per call.
    nb_compile.keywords = [k for k in nb_compile.keywords if k.arg != "steps_per_execution"]
    assert normalised(nb_compile, make_mlp) == normalised(bench_compile), (
        "optimizer, loss or metrics differ from notebook 07's"
    )
    (nb_seed,), (bench_seed,) = calls(make_mlp, "set_random_seed"), calls(bench, "set_random_seed")
    assert normalised(nb_seed, make_mlp) == normalised(bench_seed)


def test_bench_training_loop_times_notebook_07s_train_step_and_optimizer():
    steps = code_cell_defining("07", r"def make_train_step\(")
    loop = code_cell_defining("07", r"def run_epoch\(")
    bench = ast.parse(textwrap.dedent(inspect.getsource(bench_training_loop.hand_written_loop)))
    nb_step, bench_step = function_named(steps, "train_step"), function_named(bench, "train_step")
    assert normalised(nb_step) == normalised(bench_step), (
        "the train step differs from notebook 07's make_train_step(): copy it again"
    )
    (nb_adam,), (bench_adam,) = calls(loop, "Adam"), calls(bench, "Adam")
    assert normalised(nb_adam) == normalised(bench_adam), "the optimizer differs"
    (nb_loss,), (bench_loss,) = (calls(steps, "SparseCategoricalCrossentropy"),
                                 calls(bench, "SparseCategoricalCrossentropy"))  # fmt: skip
    assert normalised(nb_loss) == normalised(bench_loss), "the loss differs"

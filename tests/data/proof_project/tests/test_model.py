import torch

from model import Counter, Doubled, Dropout, GradOnly, Mixed, NotInference, scaled, zero_fill


def test_grad_only_without_grad():
    with torch.no_grad():
        assert GradOnly()(torch.ones(3)).tolist() == [2.0, 2.0, 2.0]


def test_not_inference_in_inference_mode():
    with torch.inference_mode():
        assert NotInference()(torch.ones(3)).tolist() == [2.0, 2.0, 2.0]


def test_mixed_under_autocast():
    torch.manual_seed(0)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        assert Mixed()(torch.ones(2, 4)).dtype == torch.bfloat16


def test_doubled():
    assert Doubled()(torch.ones(2)).tolist() == [18.0, 18.0]


def test_zero_fill():
    a, b = zero_fill(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 0.0]), 5.0)
    assert a.tolist() == [5.0, 1.0] and b.tolist() == [1.0, 5.0]


def test_dropout_off():
    assert Dropout(flag=False)(torch.ones(3)).tolist() == [1.0, 1.0, 1.0]


def test_counter():
    counter = Counter()
    counter(torch.ones(3))
    assert counter.steps == 1


def test_scaled_modes():
    assert [scaled(torch.ones(1), mode).item() for mode in "abcde"] == [2.0, 3.0, 4.0, 5.0, 1.0]

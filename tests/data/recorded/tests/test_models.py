import torch

from pkg.models import LOCK, MLP, guarded, normalize, pick


def test_mlp_shapes():
    model = MLP(4, 8)
    assert model(torch.randn(2, 4)).shape == (2, 4)
    assert model(torch.randn(3, 4)).shape == (3, 4)


def test_normalize():
    x = torch.ones(3, requires_grad=True)
    # a tensor autograd made (not a leaf): deepcopy refuses it, the recorder copies it detached
    assert torch.allclose(normalize(x * 1).sum(), torch.tensor(1.0))


def test_guarded():
    assert guarded(torch.ones(2), LOCK).sum() == 4


def test_pick():
    x = torch.arange(3.0)
    assert pick(x) == 0
    assert pick(x, largest=True) == 2

"""A stand-in for the few ``torchvision.transforms`` vit_pytorch's trainers build (dino, es_vit,
lejepa, levjepa import torchvision). No CPU build of torchvision matching torch 2.13 installs
here, so ``measure.py`` puts this folder on the path of the tests and of the audit workers
alike: the crops resize to the requested size, the photometric transforms pass the image on."""

from torchvision import transforms

__all__ = ["transforms"]

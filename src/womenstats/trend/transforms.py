"""Monotone transforms of a response and the log-Jacobian that puts likelihoods on one scale.

A model fitted to ``z = g(y)`` has a density for ``z``; the density of ``y`` is
``f_y(y) = f_z(g(y)) |g'(y)|``, so its log-likelihood on the ``y`` scale is
``loglik_z + sum(log |g'(y_i)|)``. Only on that common scale can the information criteria of the
linear, log-linear and logit-linear models be compared (Burnham and Anderson 2002, section 2.11.3).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Transform:
    """An increasing transform ``z = g(y)`` with its inverse.

    Attributes
    ----------
    name : str
        ``identity``, ``log`` or ``logit``.
    lower, upper : float
        Bounds of ``y`` for ``logit`` (``z = log((y - lower) / (upper - y))``); unused otherwise.
    """

    name: str
    lower: float = 0.0
    upper: float = 1.0

    def forward(self, y: np.ndarray) -> np.ndarray:
        """Return ``g(y)``; values outside the domain give ``-inf``/``inf`` (log: ``y > 0``)."""
        y = np.asarray(y, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            if self.name == "identity":
                return y
            if self.name == "log":
                return np.where(y > 0, np.log(np.where(y > 0, y, 1.0)), -np.inf)
            inside = (y > self.lower) & (y < self.upper)
            safe = np.where(inside, y, (self.lower + self.upper) / 2)
            z = np.log((safe - self.lower) / (self.upper - safe))
            return np.where(inside, z, np.where(y <= self.lower, -np.inf, np.inf))

    def inverse(self, z: np.ndarray) -> np.ndarray:
        """Return ``g^{-1}(z)``: ``z``, ``exp(z)`` or ``lower + (upper - lower) expit(z)``."""
        z = np.asarray(z, dtype=float)
        if self.name == "identity":
            return z
        if self.name == "log":
            return np.exp(z)
        return self.lower + (self.upper - self.lower) / (1.0 + np.exp(-z))

    def log_jacobian(self, y: np.ndarray) -> float:
        """Return ``sum(log g'(y_i))``.

        ``identity``: 0; ``log``: ``-sum(log y)``; ``logit``:
        ``sum(log(upper - lower) - log(y - lower) - log(upper - y))``.
        """
        y = np.asarray(y, dtype=float)
        if self.name == "identity":
            return 0.0
        if self.name == "log":
            return float(-np.log(y).sum())
        width = self.upper - self.lower
        return float((np.log(width) - np.log(y - self.lower) - np.log(self.upper - y)).sum())

    def label(self, name: str = "value") -> str:
        """Return ``g`` applied to ``name`` as text: ``value``, ``log(value)``, ``logit(value)``.

        The logit's bounds are written out when they are not 0 and 1:
        ``log((value - 0) / (100 - value))``.
        """
        if self.name == "identity":
            return name
        if self.name == "log":
            return f"log({name})"
        if (self.lower, self.upper) == (0.0, 1.0):
            return f"logit({name})"
        return f"log(({name} - {self.lower:g}) / ({self.upper:g} - {name}))"

    def admits(self, y: np.ndarray) -> bool:
        """Whether every ``y`` lies strictly inside the transform's domain."""
        y = np.asarray(y, dtype=float)
        if self.name == "identity":
            return True
        if self.name == "log":
            return bool((y > 0).all())
        return bool(((y > self.lower) & (y < self.upper)).all())

"""Tree-structured Parzen estimator: multivariate, grouped over conditions, with a constant liar."""

from .sampler import TPESampler

__all__ = ["TPESampler"]

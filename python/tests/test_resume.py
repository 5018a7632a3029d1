"""Sharding and exact resume through real DataLoaders: 2 ranks x 2 workers, resumed with 1 and 3."""

import pytest

from longmix import PackedDataset, PackedLoader

WORLD = 2


def rows_of(loader, batches=None):
    out = []
    for i, b in enumerate(loader):
        out += b["row"].tolist()
        if batches is not None and i + 1 == batches:
            break
    return out


def rank_epoch(packed, rank, epoch=0, seed=0):
    """What one rank visits in a whole epoch, read in one pass without workers."""
    ds = PackedDataset(packed, rank=rank, world_size=WORLD, seed=seed)
    ds.set_epoch(epoch)
    return [x["row"] for x in ds]


@pytest.mark.parametrize("resume_workers", [1, 3])
def test_two_ranks_two_workers_resume_with_other_worker_counts(packed, resume_workers):
    n_rows = PackedDataset(packed).num_rows
    batch = 3
    everything = []
    for rank in range(WORLD):
        ds = PackedDataset(packed, rank=rank, world_size=WORLD, seed=7)
        before = rows_of(PackedLoader(ds, batch_size=batch, num_workers=2), batches=2)
        state = ds.state_dict()
        assert state["position"] == len(before) == 2 * batch

        again = PackedDataset(packed, rank=rank, world_size=WORLD, seed=7)
        again.load_state_dict(state)
        assert len(again) == len(rank_epoch(packed, rank, seed=7)) - len(before)
        after = rows_of(PackedLoader(again, batch_size=batch, num_workers=resume_workers))
        assert before + after == rank_epoch(packed, rank, seed=7), "the rank's sequence, in order"
        assert again.state_dict()["epoch"] == 1 and again.state_dict()["position"] == 0
        everything += before + after
    assert sorted(everything) == list(range(n_rows)), "every row exactly once across ranks"


def test_epochs_differ_and_runs_repeat(packed):
    a0, a1 = rank_epoch(packed, 0, epoch=0), rank_epoch(packed, 0, epoch=1)
    assert sorted(a0 + rank_epoch(packed, 1, epoch=0)) == sorted(a1 + rank_epoch(packed, 1, epoch=1))
    assert a0 != a1
    assert a0 == rank_epoch(packed, 0, epoch=0)
    ds = PackedDataset(packed, rank=0, world_size=WORLD)
    loader = PackedLoader(ds, batch_size=4, num_workers=2)
    assert rows_of(loader) == a0 and rows_of(loader) == a1, "a finished pass moves on to the next epoch"


def test_resume_under_another_world_size_after_lockstep(packed):
    n_rows = PackedDataset(packed).num_rows
    consumed, states = [], []
    for rank in range(WORLD):
        ds = PackedDataset(packed, rank=rank, world_size=WORLD)
        consumed += rows_of(PackedLoader(ds, batch_size=2, num_workers=2), batches=3)
        states.append(ds.state_dict())
    rest = []
    for rank in range(3):
        ds = PackedDataset(packed, rank=rank, world_size=3)
        ds.load_state_dict(states[0])
        rest += rows_of(PackedLoader(ds, batch_size=2, num_workers=rank))
    assert sorted(consumed + rest) == list(range(n_rows))


def test_a_plain_loop_and_a_loader_without_workers_keep_the_state_too(greedy_packed):
    ds = PackedDataset(greedy_packed)
    it = iter(ds)
    first = [next(it)["row"] for _ in range(5)]
    assert ds.state_dict()["position"] == 5
    ds2 = PackedDataset(greedy_packed)
    ds2.load_state_dict(ds.state_dict())
    rest = rows_of(PackedLoader(ds2, batch_size=4))
    assert first + rest == [x["row"] for x in PackedDataset(greedy_packed)]


def test_a_state_of_another_order_is_refused(greedy_packed, best_fit_packed):
    state = PackedDataset(greedy_packed, seed=1).state_dict()
    with pytest.raises(ValueError, match="state has seed = 1 but this dataset 0"):
        PackedDataset(greedy_packed, seed=0).load_state_dict(state)
    with pytest.raises(ValueError, match="content_digest"):
        PackedDataset(best_fit_packed, seed=1).load_state_dict(state)
    with pytest.raises(ValueError, match="state of rank 0 loaded into rank 1"):
        PackedDataset(greedy_packed, seed=1, rank=1, world_size=1 + 1).load_state_dict(
            PackedDataset(greedy_packed, seed=1, world_size=2).state_dict()
        )


def test_loaders_that_cannot_resume_exactly_are_refused(greedy_packed):
    ds = PackedDataset(greedy_packed)
    with pytest.raises(ValueError, match="persistent_workers"):
        PackedLoader(ds, batch_size=2, num_workers=2, persistent_workers=True)
    with pytest.raises(ValueError, match="in_order=False"):
        PackedLoader(ds, batch_size=2, num_workers=2, in_order=False)


def test_a_plain_dataloader_with_workers_resumes_from_the_count_the_trainer_passes_back(greedy_packed):
    from torch.utils.data import DataLoader

    from longmix import collate

    ds = PackedDataset(greedy_packed, batch_size=4)
    taken = []
    for i, b in enumerate(DataLoader(ds, batch_size=4, num_workers=2, collate_fn=collate)):
        taken += b["row"].tolist()
        if i == 2:
            break
    assert ds.state_dict()["position"] == 0, "the workers' copies counted, not this one"
    again = PackedDataset(greedy_packed, batch_size=4)
    again.load_state_dict({**ds.state_dict(), "position": len(taken)})
    rest = [r for b in DataLoader(again, batch_size=4, num_workers=3, collate_fn=collate) for r in b["row"].tolist()]
    assert taken + rest == [x["row"] for x in PackedDataset(greedy_packed)]

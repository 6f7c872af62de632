using Microsoft.Extensions.Logging;

namespace WalkieTalkie.Gateway.Storage;

/// <summary>
/// Burst ids handed out from blocks reserved durably ahead of need (the hi/lo pattern): the engine takes an id without
/// touching storage, the next block is reserved on the <see cref="StorageWorker"/> while a quarter of the current one is
/// left, and gateways sharing a database never hand out the same id. Ids grow within a process; a restart skips
/// what was left of its blocks.
/// </summary>
public sealed class BurstIdBlocks(IBurstIdReservations reservations, StorageWorker worker, ILogger<BurstIdBlocks> logger) : IBurstIdSource
{
    public const int BlockSize = 64;
    private const int RefillBelow = BlockSize / 4;

    private readonly Lock _lock = new();
    private uint _next;
    private uint _end;
    private uint _spareStart;
    private uint _spareEnd;
    private bool _refilling;
    private uint _atLeast = 1;

    /// <summary>Reserves the first block at start-up: no id below <paramref name="atLeast"/> (ids already in use).</summary>
    public void Start(uint atLeast)
    {
        var first = reservations.Reserve(BlockSize, atLeast);
        lock (_lock)
        {
            _atLeast = atLeast;
            _next = first;
            _end = first + BlockSize;
        }
    }

    public uint Next()
    {
        lock (_lock)
        {
            if (_next == _end)
            {
                if (_spareEnd != 0)
                {
                    (_next, _end, _spareStart, _spareEnd) = (_spareStart, _spareEnd, 0, 0);
                }
                else
                {
                    // Only when a whole block went before its successor could be reserved (or before Start): rare
                    // enough to take the reservation here rather than hand out an id that might not be unique.
                    logger.LogWarning("Burst ids ran out before the next block was reserved; reserving it now");
                    _next = reservations.Reserve(BlockSize, _atLeast);
                    _end = _next + BlockSize;
                }
            }

            var id = _next++;
            if (_end - _next < RefillBelow && _spareEnd == 0 && !_refilling)
            {
                _refilling = true;
                worker.Post(Refill);
            }

            return id;
        }
    }

    private void Refill()
    {
        try
        {
            var first = reservations.Reserve(BlockSize, _atLeast);
            lock (_lock)
            {
                (_spareStart, _spareEnd) = (first, first + BlockSize);
            }
        }
        finally
        {
            lock (_lock)
            {
                _refilling = false;
            }
        }
    }
}

using System.Net;

namespace WalkieTalkie.Gateway.Transports.Mqtt;

/// <summary>
/// A number of slots per address with a bounded queue behind them: <see cref="EnterAsync"/> takes a free slot at once,
/// or waits (first come, first served) for one to be handed on by <see cref="Leave"/>, or gives up at its deadline;
/// when <c>waitingPerAddress</c> already wait, it gives up at once. One hostile address thus holds at most
/// <c>slotsPerAddress</c> + <c>waitingPerAddress</c> connections, while a crowd of well-behaved clients behind one
/// address (a site behind NAT) is let in as fast as slots free, instead of being closed to retry. Thread-safe.
/// </summary>
public sealed class AddressSlots(int slotsPerAddress, int waitingPerAddress)
{
    private readonly Dictionary<IPAddress, Slots> _addresses = new();

    /// <summary>True once the caller holds a slot of <paramref name="address"/> (it must <see cref="Leave"/> it); false when it gave up.</summary>
    public async Task<bool> EnterAsync(IPAddress address, TimeSpan wait, CancellationToken stopping)
    {
        TaskCompletionSource<bool> waiter;
        Slots queue;
        LinkedListNode<TaskCompletionSource<bool>> place;
        lock (_addresses)
        {
            if (!_addresses.TryGetValue(address, out var slots))
            {
                _addresses[address] = slots = new Slots();
            }

            if (slots.Taken < slotsPerAddress)
            {
                slots.Taken++;
                return true;
            }

            if (slots.Waiting.Count >= waitingPerAddress)
            {
                return false;
            }

            waiter = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            place = slots.Waiting.AddLast(waiter);
            queue = slots;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        deadline.CancelAfter(wait);
        bool entered;
        await using (deadline.Token.Register(() => waiter.TrySetResult(false)))
        {
            entered = await waiter.Task;
        }

        if (!entered)
        {
            lock (_addresses)
            {
                if (place.List is not null)
                {
                    queue.Waiting.Remove(place);
                }
            }
        }

        return entered;
    }

    /// <summary>Frees a slot of <paramref name="address"/>, or hands it to the first client still waiting.</summary>
    public void Leave(IPAddress address)
    {
        lock (_addresses)
        {
            if (!_addresses.TryGetValue(address, out var slots))
            {
                return;
            }

            while (slots.Waiting.First is { } first)
            {
                slots.Waiting.RemoveFirst();
                if (first.Value.TrySetResult(true))
                {
                    return;
                }
            }

            if (--slots.Taken <= 0)
            {
                _addresses.Remove(address);
            }
        }
    }

    private sealed class Slots
    {
        public int Taken { get; set; }

        public LinkedList<TaskCompletionSource<bool>> Waiting { get; } = new();
    }
}

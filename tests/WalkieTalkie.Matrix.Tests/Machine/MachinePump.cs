using WalkieTalkie.Matrix.Crypto.Machine;
using WalkieTalkie.Matrix.Crypto.Machine.Requests;

namespace WalkieTalkie.Matrix.Tests.Machine;

/// <summary>Drives machines against an <see cref="InMemoryHomeserver"/> the way the HTTP layer will: perform the
/// outgoing requests, report responses, deliver syncs.</summary>
public sealed class MachinePump(InMemoryHomeserver server)
{
    public InMemoryHomeserver Server { get; } = server;

    /// <summary>Results of every to-device event each machine processed, by user.</summary>
    public Dictionary<string, List<ProcessedToDeviceEvent>> Received { get; } = new();

    public void Perform(OlmMachine machine, IEnumerable<OutgoingRequest> requests)
    {
        foreach (var request in requests.ToList())
        {
            Assert.True(machine.MarkRequestAsSent(request.RequestId, Server.Handle(machine.UserId, machine.DeviceId, request)));
        }
    }

    /// <summary>Rounds of outgoing requests and syncs until nothing moves (bounded).</summary>
    public void Settle(params OlmMachine[] machines)
    {
        for (var round = 0; round < 20; round++)
        {
            var moved = false;
            foreach (var machine in machines)
            {
                var requests = machine.OutgoingRequests();
                moved |= requests.Count > 0;
                Perform(machine, requests);
            }
            foreach (var machine in machines)
            {
                var sync = Server.Sync(machine.UserId, machine.DeviceId);
                moved |= sync.ToDeviceEvents.Count > 0;
                var results = machine.ReceiveSyncChanges(sync);
                if (!Received.TryGetValue(machine.UserId, out var list))
                {
                    Received[machine.UserId] = list = new();
                }

                list.AddRange(results);
            }
            if (!moved)
            {
                return;
            }
        }
        throw new InvalidOperationException("the machines did not settle in 20 rounds");
    }

    /// <summary>Runs ShareRoomKey until it asks for nothing more (bounded); returns every request it produced.</summary>
    public List<OutgoingRequest> Share(OlmMachine machine, string roomId, IEnumerable<string> users, EncryptionSettings? settings = null)
    {
        var all = new List<OutgoingRequest>();
        var members = users.ToList();
        for (var step = 0; step < 10; step++)
        {
            var requests = machine.ShareRoomKey(roomId, members, settings);
            if (requests.Count == 0)
            {
                return all;
            }

            all.AddRange(requests);
            Perform(machine, requests);
        }
        throw new InvalidOperationException("ShareRoomKey did not finish in 10 steps");
    }
}

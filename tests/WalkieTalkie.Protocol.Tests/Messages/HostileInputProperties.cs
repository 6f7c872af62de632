using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using WalkieTalkie.Protocol.Control;
using WalkieTalkie.Protocol.Frames;

namespace WalkieTalkie.Protocol.Tests.Messages;

/// <summary>Whatever arrives, a reader answers with a message or an error code and never throws.</summary>
public class HostileInputProperties
{
    [Property(MaxTest = 3000)]
    public void Random_bytes_never_make_the_control_reader_throw(byte[] payload, bool uplink)
    {
        var reader = new ControlMessageReader();
        var error = reader.Read(payload, 0, payload.Length, uplink ? ControlDirection.Uplink : ControlDirection.Downlink);
        Assert.Equal(error == ProtocolError.None, reader.Message != null);
    }

    [Property(MaxTest = 3000)]
    public Property Mutated_valid_messages_never_make_the_control_reader_throw()
    {
        var samples = SampleMessages.All().ToArray();
        var mutation = from index in Gen.Choose(0, samples.Length - 1)
                       from position in Gen.Choose(0, 1000)
                       from value in ArbMap.Default.GeneratorFor<byte>()
                       select (index, position, value);
        return Prop.ForAll(mutation.ToArbitrary(), m =>
        {
            var message = samples[m.index];
            var bytes = message.ToBytes();
            bytes[m.position % bytes.Length] = m.value;
            var reader = new ControlMessageReader();
            var error = reader.Read(bytes, 0, bytes.Length, SampleMessages.DirectionOf(message));
            if (error == ProtocolError.None)
            {
                // What is accepted must write back to exactly what was read.
                Assert.Equal(bytes, reader.Message!.ToBytes());
            }
        });
    }

    [Property(MaxTest = 3000)]
    public void Random_bytes_behind_a_valid_frame_header_never_make_the_frame_reader_throw(byte[] tail, byte channel, byte flags, byte rate, byte blocks)
    {
        byte[] bytes = [1, AudioFrame.Type, channel, flags, 1, 2, 3, 4, 5, 6, rate, blocks, .. tail];
        var frame = new AudioFrame();
        var error = frame.Read(bytes, 0, bytes.Length);
        if (error == ProtocolError.None)
        {
            Assert.Equal(bytes.Length, AudioFrame.HeaderLength + frame.BlockCount * frame.BlockBytes);
        }
    }
}

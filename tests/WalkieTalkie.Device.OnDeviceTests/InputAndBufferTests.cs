using nanoFramework.TestFramework;
using WalkieTalkie.Badge.Audio;
using WalkieTalkie.Badge.Input;
using WalkieTalkie.Badge.Messaging;
using WalkieTalkie.Protocol;
using WalkieTalkie.Protocol.Audio;
using WalkieTalkie.Protocol.Frames;

namespace WalkieTalkie.Device.OnDeviceTests
{
    /// <summary>The badge's inbox, button tracking and jitter buffer, on the runtime whose threads they serve.</summary>
    [TestClass]
    public class InputAndBufferTests
    {
        private static byte[] s_payload;

        [Setup]
        public void Allocate()
        {
            s_payload = new byte[AudioFrame.MaxLength];
        }

        [TestMethod]
        public void The_inbox_keeps_order_and_drops_foreign_topics_and_overflow()
        {
            var inbox = new MessageInbox("anna", 2, 64);
            s_payload[0] = 1;
            Assert.IsTrue(inbox.Post(Topics.DownControl("anna"), s_payload, 0, 10));
            Assert.IsFalse(inbox.Post(Topics.DownControl("bert"), s_payload, 0, 10));
            s_payload[0] = 2;
            Assert.IsTrue(inbox.Post(Topics.DownAudio("anna"), s_payload, 0, 20));
            Assert.IsFalse(inbox.Post(Topics.DownAudio("anna"), s_payload, 0, 20));
            Assert.AreEqual(2, inbox.Dropped);

            byte[] buffer;
            int length;
            Assert.AreEqual((int)InboxKind.Control, (int)inbox.Peek(out buffer, out length));
            Assert.AreEqual(10, length);
            Assert.AreEqual((byte)1, buffer[0]);
            inbox.Release();
            Assert.AreEqual((int)InboxKind.Audio, (int)inbox.Peek(out buffer, out length));
            Assert.AreEqual((byte)2, buffer[0]);
            inbox.Release();
            Assert.AreEqual((int)InboxKind.None, (int)inbox.Peek(out buffer, out length));
        }

        [TestMethod]
        public void A_held_button_becomes_a_long_press_once()
        {
            var tracker = new ButtonTracker(800);
            Assert.AreEqual((int)ButtonEvent.Pressed, (int)tracker.Update(true, 1000));
            Assert.AreEqual((int)ButtonEvent.None, (int)tracker.Update(true, 1799));
            Assert.AreEqual((int)ButtonEvent.LongPress, (int)tracker.Update(true, 1800));
            Assert.AreEqual((int)ButtonEvent.None, (int)tracker.Update(true, 5000));
            Assert.AreEqual((int)ButtonEvent.LongReleased, (int)tracker.Update(false, 5001));
        }

        [TestMethod]
        public void The_jitter_buffer_waits_for_two_frames_then_plays_in_order()
        {
            var blockBytes = ImaAdpcm.DefaultBlockBytes;
            var jitter = new JitterBuffer(8, blockBytes, ImaAdpcm.DefaultSamplesPerBlock, 2);
            jitter.Begin(5, SampleRate.Narrowband);
            var frame = new AudioFrame();

            Offer(jitter, frame, 1, 0);
            int samples;
            Assert.AreEqual((int)PullResult.Waiting, (int)jitter.Pull(out samples));
            Offer(jitter, frame, 0, FrameFlags.First);
            Assert.AreEqual((int)PullResult.Played, (int)jitter.Pull(out samples));
            Assert.AreEqual(0, jitter.LastSequence);
            Assert.AreEqual(ImaAdpcm.DefaultSamplesPerBlock, samples);
            Assert.AreEqual((int)PullResult.Played, (int)jitter.Pull(out samples));
            Assert.AreEqual(1, jitter.LastSequence);
            Assert.AreEqual((int)OfferResult.Duplicate, (int)Offer(jitter, frame, 1, 0));
        }

        private static OfferResult Offer(JitterBuffer jitter, AudioFrame frame, int sequence, byte flags)
        {
            var length = AudioFrame.WriteHeader(s_payload, 0, 1, flags, 5, (ushort)sequence, SampleRate.Narrowband, 1, ImaAdpcm.DefaultBlockBytes);
            for (var i = AudioFrame.HeaderLength; i < length; i++)
            {
                s_payload[i] = 0;
            }

            frame.Read(s_payload, 0, length);
            return jitter.Offer(frame);
        }
    }
}

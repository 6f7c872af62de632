using nanoFramework.TestFramework;
using WalkieTalkie.Protocol;
using WalkieTalkie.Protocol.Audio;
using WalkieTalkie.Protocol.Control;
using WalkieTalkie.Protocol.Frames;

namespace WalkieTalkie.Device.OnDeviceTests
{
    /// <summary>Audio frames and control messages written and read back on the device, and bad input refused.</summary>
    [TestClass]
    public class MessageTests
    {
        private static byte[] s_buffer;
        private static AudioFrame s_frame;
        private static ControlMessageReader s_reader;

        [Setup]
        public void Allocate()
        {
            s_buffer = new byte[AudioFrame.MaxLength];
            s_frame = new AudioFrame();
            s_reader = new ControlMessageReader();
        }

        [TestMethod]
        public void An_audio_frame_header_reads_back()
        {
            var length = AudioFrame.WriteHeader(s_buffer, 0, 3, FrameFlags.First, 0x01020304, 7, SampleRate.Wideband, 2, ImaAdpcm.DefaultBlockBytes);
            Assert.AreEqual(AudioFrame.HeaderLength + 2 * 172, length);
            Assert.AreEqual((int)ProtocolError.None, (int)s_frame.Read(s_buffer, 0, length));
            Assert.AreEqual((byte)3, s_frame.Channel);
            Assert.AreEqual((uint)0x01020304, s_frame.BurstId);
            Assert.AreEqual((ushort)7, s_frame.Sequence);
            Assert.AreEqual((byte)2, s_frame.BlockCount);
            Assert.IsTrue(s_frame.IsFirst);
            Assert.IsFalse(s_frame.IsLast);
        }

        [TestMethod]
        public void A_frame_of_an_unknown_version_is_refused()
        {
            var length = AudioFrame.WriteHeader(s_buffer, 0, 1, 0, 1, 0, SampleRate.Narrowband, 1, ImaAdpcm.DefaultBlockBytes);
            s_buffer[0] = 99;
            Assert.AreNotEqual((int)ProtocolError.None, (int)s_frame.Read(s_buffer, 0, length));
        }

        [TestMethod]
        public void A_frame_cut_inside_its_header_is_refused()
        {
            AudioFrame.WriteHeader(s_buffer, 0, 1, 0, 1, 0, SampleRate.Narrowband, 1, ImaAdpcm.DefaultBlockBytes);
            Assert.AreNotEqual((int)ProtocolError.None, (int)s_frame.Read(s_buffer, 0, AudioFrame.HeaderLength - 1));
        }

        [TestMethod]
        public void A_config_reads_back_with_its_channels()
        {
            var config = new Config();
            config.Version = 9;
            config.CheckInSeconds = 300;
            config.MaxTalkSeconds = 45;
            config.BlocksPerFrame = 2;
            var channel = new ChannelConfig();
            channel.Channel = 4;
            channel.RateCode = SampleRate.Narrowband;
            channel.Name = "family";
            config.Channels = new ChannelConfig[] { channel };

            var length = config.Write(s_buffer, 0, s_buffer.Length);
            Assert.AreEqual((int)ProtocolError.None, (int)s_reader.Read(s_buffer, 0, length, ControlDirection.Downlink));
            var read = (Config)s_reader.Message;
            Assert.AreEqual((uint)9, read.Version);
            Assert.AreEqual((ushort)300, read.CheckInSeconds);
            Assert.AreEqual(1, read.Channels.Length);
            Assert.AreEqual("family", read.Channels[0].Name);
        }

        [TestMethod]
        public void A_talker_name_with_an_emoji_is_passed_on_byte_for_byte()
        {
            // burst-start from the gateway, talker "Dad 😀": UTF-8 44 61 64 20 F0 9F 98 80. Decoding it to a string and
            // encoding it again gave EF BF BD twice for the emoji here (the interpreter's high surrogate, twice).
            var wire = new byte[] { 1, MessageType.BurstStart, 2, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 8, 0x44, 0x61, 0x64, 0x20, 0xF0, 0x9F, 0x98, 0x80 };
            Assert.AreEqual((int)ProtocolError.None, (int)s_reader.Read(wire, 0, wire.Length, ControlDirection.Downlink));
            var start = (BurstStart)s_reader.Message;
            var name = new byte[8];
            Assert.AreEqual(8, start.TalkerText.CopyTo(name, 0));
            for (var i = 0; i < 8; i++)
            {
                Assert.AreEqual(wire[14 + i], name[i]);
            }

            var length = start.Write(s_buffer, 0, s_buffer.Length);
            Assert.AreEqual(wire.Length, length);
            for (var i = 0; i < length; i++)
            {
                Assert.AreEqual(wire[i], s_buffer[i]);
            }
        }

        [TestMethod]
        public void A_badge_state_carries_battery_and_signal()
        {
            var state = new BadgeState();
            state.Status = BadgeStatus.Idle;
            state.BatteryMillivolts = 3870;
            state.BatteryPercent = 61;
            state.Rssi = -67;
            state.Firmware = "0.1.0";
            var length = state.Write(s_buffer, 0, s_buffer.Length);
            Assert.AreEqual((int)ProtocolError.None, (int)s_reader.Read(s_buffer, 0, length, ControlDirection.Uplink));
            var read = (BadgeState)s_reader.Message;
            Assert.AreEqual((ushort)3870, read.BatteryMillivolts);
            Assert.AreEqual((sbyte)-67, read.Rssi);
            Assert.AreEqual("0.1.0", read.Firmware);
        }

        [TestMethod]
        public void An_uplink_message_is_refused_on_the_downlink()
        {
            var state = new BadgeState();
            state.Status = BadgeStatus.Idle;
            var length = state.Write(s_buffer, 0, s_buffer.Length);
            Assert.AreNotEqual((int)ProtocolError.None, (int)s_reader.Read(s_buffer, 0, length, ControlDirection.Downlink));
        }

        [TestMethod]
        public void Topics_are_per_badge()
        {
            Assert.AreEqual("wt/v1/anna/up/audio", Topics.UpAudio("anna"));
            Assert.AreEqual("wt/v1/anna/down/#", Topics.DownFilter("anna"));
            Assert.IsFalse(Topics.IsValidBadgeId("Anna"));
            Assert.IsFalse(Topics.IsValidBadgeId("-anna"));
        }
    }
}

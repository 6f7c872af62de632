using System;
using nanoFramework.TestFramework;

namespace WalkieTalkie.FacadeUsageCheck
{
    /// <summary>The shape of an on-device test class (assembly NFUnitTest, static state, MSTest-like asserts).</summary>
    [TestClass]
    public class OnDeviceTestUsage
    {
        private static byte[] s_block;

        [Setup]
        public void AllocateOnce()
        {
            s_block = new byte[164];
        }

        [TestMethod]
        public void A_block_has_the_protocol_size()
        {
            Assert.AreEqual(164, s_block.Length);
            Assert.IsTrue(s_block[0] == 0);
            CollectionAssert.AreEqual(new byte[164], s_block);
            Assert.ThrowsException(typeof(IndexOutOfRangeException), () => s_block[164] = 1);
        }

        [TestMethod]
        [DataRow(8000, 40)]
        [DataRow(16000, 20)]
        public void A_block_lasts_by_rate(int rate, int milliseconds)
        {
            Assert.AreEqual(milliseconds, 321 * 1000 / rate);
        }

        [Cleanup]
        public void Release()
        {
            s_block = null;
        }
    }
}

import { dedent, ModeTester } from 'tungen/testing';

new ModeTester().run('vti6', {
  invalid: [
    {
      name: 'no key',
      spec: dedent(`
        tunnels:
          - name: v6
            mode: vti6
            local: "2001:db8::1"
            remote: "2001:db8::2"
      `),
      problems: [
        {
          rule: 'vti6/missing-key',
          at: '2:5',
          path: 'tunnels[0]',
          message:
            'mode vti6 needs "key" (or inputKey and outputKey): the key is the mark that ties the interface to its IPsec policies',
        },
      ],
    },
    {
      name: 'only an input key',
      spec: dedent(`
        tunnels:
          - name: v6
            mode: vti6
            local: "2001:db8::1"
            remote: "2001:db8::2"
            inputKey: 4
      `),
      problems: [
        {
          rule: 'vti6/missing-key',
          at: '2:5',
          path: 'tunnels[0]',
          message:
            'mode vti6 needs "key" (or inputKey and outputKey): the key is the mark that ties the interface to its IPsec policies',
        },
      ],
    },
    {
      name: 'key 0.0.0.0',
      spec: dedent(`
        tunnels:
          - name: v6
            mode: vti6
            local: "2001:db8::1"
            remote: "2001:db8::2"
            key: 0.0.0.0
      `),
      problems: [
        {
          rule: 'schema/value',
          at: '6:10',
          path: 'tunnels[0].key',
          message: 'expected a key: an integer 1-4294967295 or a dotted quad other than 0.0.0.0, got "0.0.0.0"',
        },
      ],
    },
  ],
});

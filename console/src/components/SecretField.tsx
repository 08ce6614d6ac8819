import { Button, CopyButton, Group, TextInput, Tooltip } from '@mantine/core';

/**
 * A token shown in a read-only field with a "Copy" button. Copying needs a secure context (https or
 * localhost); elsewhere the field can still be selected and copied by hand.
 */
export function SecretField({ label, value }: { label: string; value: string }) {
  return (
    <Group align="end" gap="xs" wrap="nowrap">
      <TextInput
        label={label}
        value={value}
        readOnly
        onFocus={(event) => event.currentTarget.select()}
        styles={{
          input: {
            fontFamily: 'var(--mantine-font-family-monospace)',
            // Chromium clips an input's text to the font's ascent and descent, whatever the line-height or
            // padding; hinted at 14px, the underscore of DejaVu Sans Mono (Linux's monospace) lands one pixel
            // below that box and vanishes. Unhinted glyph positions keep it inside.
            textRendering: 'geometricPrecision',
          },
        }}
        style={{ flex: 1, minWidth: 0 }}
      />
      <CopyButton value={value}>
        {({ copied, copy }) => (
          <Tooltip label="Copied to the clipboard" opened={copied} withArrow>
            <Button onClick={copy} color={copied ? 'teal' : 'blue'} variant={copied ? 'light' : 'filled'}>
              {copied ? 'Copied' : 'Copy'}
            </Button>
          </Tooltip>
        )}
      </CopyButton>
    </Group>
  );
}
